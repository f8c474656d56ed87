-- What Assets heard of Support's repair cases and did about them (Repairs/DeviceRepair.cs): the device's status follows the case,
-- and the user gets a replacement loan while the device is away. One row per case, written by the consumers of DeviceSentForRepair
-- and RepairCaseClosed; a close that arrives before its send is kept here, so the late send finds it and changes nothing.
CREATE TABLE device_repairs (
    repair_case_id uuid NOT NULL,
    device_id uuid NOT NULL,
    school_id uuid NOT NULL,
    sent_on date NULL,
    replacement_wanted boolean NOT NULL,
    closed_on date NULL,
    outcome text NULL,
    replacement text NULL,
    replacement_loan_id uuid NULL,
    device_not_followed text NULL,
    updated_at timestamptz NOT NULL,
    as_of timestamptz NOT NULL,
    CONSTRAINT pk_device_repairs PRIMARY KEY (repair_case_id)
);
CREATE INDEX ix_device_repairs_device_id ON device_repairs (device_id);
-- A loan replaces the device of one case at most.
CREATE UNIQUE INDEX ix_device_repairs_replacement_loan_id ON device_repairs (replacement_loan_id) WHERE replacement_loan_id IS NOT NULL;
