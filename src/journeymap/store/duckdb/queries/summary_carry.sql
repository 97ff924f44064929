-- Copy changed cohort attributes (`_jm_carry`: first entry, first-touch codes) onto every
-- summary row of those members; matching the codes the rows had (was1..was5) skips the row
-- groups of other cohorts.
UPDATE rs_visit SET ce = c.ce, u1 = c.u1, u2 = c.u2, u3 = c.u3, u4 = c.u4, u5 = c.u5
FROM _jm_carry c
WHERE rs_visit.mk = c.mk AND rs_visit.u1 = c.was1 AND rs_visit.u2 = c.was2 AND rs_visit.u3 = c.was3
  AND rs_visit.u4 = c.was4 AND rs_visit.u5 = c.was5;
UPDATE rs_link SET ce = c.ce, u1 = c.u1, u2 = c.u2, u3 = c.u3, u4 = c.u4, u5 = c.u5
FROM _jm_carry c
WHERE rs_link.mk = c.mk AND rs_link.u1 = c.was1 AND rs_link.u2 = c.was2 AND rs_link.u3 = c.was3
  AND rs_link.u4 = c.was4 AND rs_link.u5 = c.was5;
UPDATE rs_goal SET ce = c.ce, u1 = c.u1, u2 = c.u2, u3 = c.u3, u4 = c.u4, u5 = c.u5
FROM _jm_carry c
WHERE rs_goal.mk = c.mk AND rs_goal.u1 = c.was1 AND rs_goal.u2 = c.was2 AND rs_goal.u3 = c.was3
  AND rs_goal.u4 = c.was4 AND rs_goal.u5 = c.was5;
UPDATE rs_email SET ce = c.ce, u1 = c.u1, u2 = c.u2, u3 = c.u3, u4 = c.u4, u5 = c.u5
FROM _jm_carry c
WHERE rs_email.mk = c.mk AND rs_email.u1 = c.was1 AND rs_email.u2 = c.was2 AND rs_email.u3 = c.was3
  AND rs_email.u4 = c.was4 AND rs_email.u5 = c.was5;
UPDATE rs_delivery SET ce = c.ce, u1 = c.u1, u2 = c.u2, u3 = c.u3, u4 = c.u4, u5 = c.u5
FROM _jm_carry c
WHERE rs_delivery.mk = c.mk AND rs_delivery.u1 = c.was1 AND rs_delivery.u2 = c.was2
  AND rs_delivery.u3 = c.was3 AND rs_delivery.u4 = c.was4 AND rs_delivery.u5 = c.was5;
