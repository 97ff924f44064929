-- Per send-email element, over the cohort: emails sent, and distinct contacts who opened,
-- clicked and unsubscribed.
WITH s AS (
    SELECT ek, sum(sent) AS sent,
           count(*) FILTER (WHERE opened > 0) AS opened,
           count(*) FILTER (WHERE clicked > 0) AS clicked,
           count(*) FILTER (WHERE unsubscribed > 0) AS unsubscribed
    FROM rs_email_of($last_touch, $mapk, $lo, $hi, $c1, $c2, $c3, $c4, $c5,
                     $l1, $l2, $l3, $l4, $l5)
    GROUP BY ek
)
SELECT k.name AS element_id, s.sent, s.opened, s.clicked, s.unsubscribed
FROM s JOIN rs_key k ON k.k = s.ek
