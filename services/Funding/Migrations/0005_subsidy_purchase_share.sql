-- Earlier checksum (comments reworded): BC7810A566C4EC806E42C71E97A0575356AB1086E0A76AD6A29F704A8D470C75
-- The council paper pays siblings 40 % "of the monthly rate or of the purchase price" (Drucksache 1000/2020):
-- a tablet the parents bought outright gets a one-off subsidy. The paper names only the rent for BuT/AsylbLG, so that stays monthly.
ALTER TABLE subsidy_rules ADD COLUMN purchase_share numeric(5,4) NULL;
ALTER TABLE subsidy_rules ADD CONSTRAINT ck_subsidy_rules_purchase_share CHECK (purchase_share BETWEEN 0 AND 1);
UPDATE subsidy_rules SET purchase_share = 0.4000,
    source = 'Drucksache 1000/2020: from the second child of a family in the programme, 40 % of the monthly rate or, for a tablet bought outright, of the purchase price (once).'
WHERE category = 'Sibling';
