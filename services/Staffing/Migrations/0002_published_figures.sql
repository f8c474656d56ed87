-- Earlier checksum (comments reworded): EEE9BF1317E80B4A65B831B56671215A93DECF3F462697E43D7CC00907CF7BF8
-- Figures a source publishes are stored as printed, not derived (18.5 x 93,730 = 1,734,005.00, the paper says
-- 1,734,000.00), and their difference to what the platform derives is shown.
CREATE TABLE published_figures (
    figure text NOT NULL,
    posts numeric(6,2) NOT NULL,
    amount numeric(14,2) NOT NULL,
    source text NOT NULL,
    CONSTRAINT pk_published_figures PRIMARY KEY (figure)
);
INSERT INTO published_figures (figure, posts, amount, source) VALUES
    ('currentPostsCost', 18.5, 1734000.00,
     'Drucksache 1000/2020, 5.1.3: 18.5 posts across six units in 2019/2020, 1,734,000 EUR a year including overheads.');
