-- bench crash: purchases stored, and distinct contacts among them.
SELECT count(*) AS purchases, count(DISTINCT contact_id) AS distinct_contacts FROM purchases
