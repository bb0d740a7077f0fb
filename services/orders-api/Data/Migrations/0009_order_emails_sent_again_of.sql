-- The failed email an email is a copy of, when ops sent that one again (delivery-tracker's send-again), so the order
-- shows which email stands in for which.
alter table order_emails add column sent_again_of uuid;
