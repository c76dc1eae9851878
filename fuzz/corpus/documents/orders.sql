CREATE TABLE customers (id uuid PRIMARY KEY, name text NOT NULL, email varchar(200));
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES customers (id),
    total numeric(10,2),
    placed_at timestamptz DEFAULT now()
);
ALTER TABLE ONLY orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers(id);
