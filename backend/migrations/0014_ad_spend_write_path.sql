-- ad_spend is written far more than it is read row by row (a Meta backfill is a million rows;
-- dashboards read the rollups), so an insert should maintain as little as possible: one index
-- instead of two. The primary key leads with the date: the campaign table's range
-- scans (account, date range), the rollup refresh (account, days) and a sync window's checks
-- (account, date range, then platform and ad account) all read it, and a backfill appends
-- dates in order instead of inserting all over the campaign-first tree. The covering date
-- index served the summary and time series before they read the rollups; nothing needs it now.
ALTER TABLE ad_spend DROP CONSTRAINT ad_spend_pkey,
  ADD CONSTRAINT ad_spend_pkey PRIMARY KEY (account_id, date, platform, ad_account_id, campaign_id);
DROP INDEX ad_spend_date_idx;
