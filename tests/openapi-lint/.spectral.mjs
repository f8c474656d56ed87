// The OpenAPI linter's ruleset: the OWASP API Security Top 10 (2023) rules as published, with the rules that do not fit the
// platform switched off, each with its reason. The documents are linted by each service's OpenApiLintTests (./mep test).
import owasp from "@stoplight/spectral-owasp-ruleset";

export default {
  extends: [owasp],
  rules: {
    // Asks every answer to declare Access-Control-Allow-Origin. The platform allows no cross-origin browser requests: its callers
    // are servers, scripts and the service desk's tools, and its one browser page (the jobs dashboard) is same-origin with a
    // SameSite=Strict session cookie. It sends no Access-Control-Allow-Origin header, so a document declaring one would be false;
    // a browser page of another origin is refused by the browser's same-origin policy, which is what is wanted.
    "owasp:api8:2023-define-cors-origin": "off",

    // Asks operations under "/admin" to use a security requirement no other operation uses. Admin operations are not a separate
    // API here: admins use the same staff token as everyone else and are told apart by the role in it, which each operation
    // declares (x-roles; OpenAPI 3.0 allows no role lists in a bearer requirement). Admin-only operations also live outside
    // "/admin" (school API keys, routing rules), so the path says nothing the roles do not; inventing a second scheme for the
    // same token would make the document less true, not more.
    "owasp:api5:2023-admin-security-unique": "off",
  },
};
