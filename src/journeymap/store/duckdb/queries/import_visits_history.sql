-- Whether the store holds any transition (else no staged contact has history to continue).
SELECT EXISTS (SELECT 1 FROM transitions)
