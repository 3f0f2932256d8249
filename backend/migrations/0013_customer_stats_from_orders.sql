-- customers.first_order_at and customers.orders_count were refreshed after every batch of orders
-- (an UPDATE of each batch's customers from their orders: a quarter of the database's time per
-- synced order) and read by nothing: new-versus-returning, the rollups and the orders list all
-- derive a customer's first order from `orders` (orders_customer_placed_idx). The privacy export
-- computes both from the orders when asked. Gone, with their index.
ALTER TABLE customers DROP COLUMN first_order_at, DROP COLUMN orders_count;
