-- Copy changed cohort attributes (`_jm_carry`) onto the stays' rows, as summary_carry.sql does
-- for the other summaries.
UPDATE rs_stay SET ce = c.ce, u1 = c.u1, u2 = c.u2, u3 = c.u3, u4 = c.u4, u5 = c.u5
FROM _jm_carry c
WHERE rs_stay.mk = c.mk AND rs_stay.u1 = c.was1 AND rs_stay.u2 = c.was2 AND rs_stay.u3 = c.was3
  AND rs_stay.u4 = c.was4 AND rs_stay.u5 = c.was5;
