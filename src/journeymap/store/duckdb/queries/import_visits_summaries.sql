-- The report summaries of the members an import of visits creates, built in one set-based pass
-- over what the import staged per chain (import_visit_sums, import_link_sums, import_goals), as
-- summary_*.sql would fold the same facts: visits per element (with the live-position rule,
-- jm_live in summary_live.sql), moves per connector, achievements per goal. The members themselves
-- come first (import_visits_fresh.sql, then summary_members_new.sql and summary_cohort.sql);
-- rows land in the order summary_cluster.sql keeps them.
UPDATE rs_member SET cohort_at = f.cohort_at, ce = epoch_us(f.cohort_at)
FROM import_fresh f
WHERE rs_member.contact_id = f.contact_id AND rs_member.map_id = f.map_id;
CREATE OR REPLACE TEMP TABLE import_new_members AS
SELECT f.chain, m.mk, m.mapk, m.ce, m.u1, m.u2, m.u3, m.u4, m.u5,
       row_number() OVER (ORDER BY m.mapk, m.u1, m.u2, m.u3, m.u4, m.u5, m.ce, m.mk) AS place
FROM import_fresh f
JOIN rs_member m ON m.contact_id = f.contact_id AND m.map_id = f.map_id;
INSERT INTO rs_visit
SELECT m.mapk, k.k, m.mk, m.ce, m.u1, m.u2, m.u3, m.u4, m.u5,
       x.first_seq, x.first_at, x.last_arrival_seq, x.last_departure_seq, x.visits,
       x.connector_departures,
       CASE WHEN jm_live(x.last_arrival_seq, x.last_departure_seq) THEN 1 ELSE 0 END
FROM import_visit_sums x
JOIN import_new_members m USING (chain)
JOIN import_keys k ON k.kind = 'element' AND k.code = x.ek
ORDER BY m.place, k.k;
INSERT INTO rs_link
SELECT m.mapk, k.k, m.mk, m.ce, m.u1, m.u2, m.u3, m.u4, m.u5, x.moves
FROM import_link_sums x
JOIN import_new_members m USING (chain)
JOIN import_keys k ON k.kind = 'connector' AND k.code = x.ck
ORDER BY m.place, k.k;
INSERT INTO rs_goal
SELECT m.mapk, k.k, m.mk, m.ce, m.u1, m.u2, m.u3, m.u4, m.u5,
       g.first_seq, g.first_at, w.k, g.last_seq, g.achievements
FROM (
    SELECT chain, ek, min(seq) AS first_seq, arg_min(occurred_at, seq) AS first_at,
           arg_min_null(from_ek, seq) AS first_from, max(seq) AS last_seq, count(*) AS achievements
    FROM import_goals WHERE chain IN (SELECT chain FROM import_fresh)
    GROUP BY chain, ek
) g
JOIN import_new_members m USING (chain)
JOIN import_keys k ON k.kind = 'element' AND k.code = g.ek
LEFT JOIN import_keys w ON w.kind = 'element' AND w.code = g.first_from
ORDER BY m.place, k.k;
