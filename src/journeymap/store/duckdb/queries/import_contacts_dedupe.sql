-- A contact named on several rows of one file: the last row stands for it.
DELETE FROM import_contacts WHERE row_no IN (
    SELECT row_no FROM import_contacts
    QUALIFY row_number() OVER (PARTITION BY contact_id ORDER BY row_no DESC) > 1
)
