-- Subscriptions' signing secrets are kept encrypted (AES-256-GCM, "v1.<key id>.<sealed>") with a key outside the database
-- (Webhooks:SecretKey), no longer in plain text. SQL cannot encrypt without that key, so this file does not convert rows: when the
-- service starts, after the migrations and before it takes requests, WebhookSecretsAtRest seals every secret still in plain text
-- (and every one sealed with a retired key) under the current key. From here on a plain secret cannot be written again; NOT VALID
-- because rows written before this file are sealed by that start, not here.
ALTER TABLE webhook_subscriptions ADD CONSTRAINT ck_webhook_subscriptions_secrets_sealed
    CHECK (secret LIKE 'v1.%' AND (previous_secret IS NULL OR previous_secret LIKE 'v1.%')) NOT VALID;
-- The sender forgets a rotated-out secret once its overlap has passed; this finds the few that still hold one.
CREATE INDEX ix_webhook_subscriptions_previous_secret_expires_at ON webhook_subscriptions (previous_secret_expires_at)
    WHERE previous_secret IS NOT NULL;
