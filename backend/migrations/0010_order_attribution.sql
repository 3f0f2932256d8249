-- What stores tell about an order beyond its money: the ad click ids its landing page carried
-- (fbclid, gclid, ttclid: a click's own id, sharper than UTM tags for attribution), the currency
-- the buyer paid in when it differs from the shop's, and how many line items it had.

ALTER TABLE orders
  ADD COLUMN fbclid text CHECK (length(fbclid) <= 500),
  ADD COLUMN gclid text CHECK (length(gclid) <= 500),
  ADD COLUMN ttclid text CHECK (length(ttclid) <= 500),
  ADD COLUMN presentment_currency char(3) CHECK (presentment_currency ~ '^[A-Z]{3}$'),
  ADD COLUMN line_items_count integer CHECK (line_items_count >= 0);
