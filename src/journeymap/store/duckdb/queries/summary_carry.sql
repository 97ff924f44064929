-- Copy changed cohort attributes (`_jm_carry`: first entry, first-touch codes) onto every
-- summary row of those members.
UPDATE rs_visit SET ce = c.ce, u1 = c.u1, u2 = c.u2, u3 = c.u3, u4 = c.u4, u5 = c.u5
FROM _jm_carry c WHERE rs_visit.mk = c.mk;
UPDATE rs_link SET ce = c.ce, u1 = c.u1, u2 = c.u2, u3 = c.u3, u4 = c.u4, u5 = c.u5
FROM _jm_carry c WHERE rs_link.mk = c.mk;
UPDATE rs_goal SET ce = c.ce, u1 = c.u1, u2 = c.u2, u3 = c.u3, u4 = c.u4, u5 = c.u5
FROM _jm_carry c WHERE rs_goal.mk = c.mk;
UPDATE rs_email SET ce = c.ce, u1 = c.u1, u2 = c.u2, u3 = c.u3, u4 = c.u4, u5 = c.u5
FROM _jm_carry c WHERE rs_email.mk = c.mk;
