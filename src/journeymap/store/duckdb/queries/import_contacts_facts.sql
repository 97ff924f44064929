-- Staged contacts merged with what the store has: the earlier created_at; the file's first-touch
-- UTM when it gives any; last-touch UTM from the file, else the store, else the first touch;
-- tags united; fields merged with the file's values winning.
WITH s AS (
    SELECT *,
           coalesce(first_utm_source, first_utm_medium, first_utm_campaign, first_utm_content,
                    first_utm_term) IS NOT NULL AS first_given,
           coalesce(last_utm_source, last_utm_medium, last_utm_campaign, last_utm_content,
                    last_utm_term) IS NOT NULL AS last_given
    FROM import_contacts
),
j AS (
    SELECT s.*,
           c.contact_id IS NOT NULL AS known,
           c.created_at AS c_created_at,
           c.first_utm_source AS c_first_source, c.first_utm_medium AS c_first_medium,
           c.first_utm_campaign AS c_first_campaign, c.first_utm_content AS c_first_content,
           c.first_utm_term AS c_first_term,
           c.last_utm_source AS c_last_source, c.last_utm_medium AS c_last_medium,
           c.last_utm_campaign AS c_last_campaign, c.last_utm_content AS c_last_content,
           c.last_utm_term AS c_last_term,
           coalesce(c.last_utm_source, c.last_utm_medium, c.last_utm_campaign,
                    c.last_utm_content, c.last_utm_term) IS NOT NULL AS c_last_given,
           c.tags AS c_tags, c.fields AS c_fields
    FROM s LEFT JOIN contacts c ON c.contact_id = s.contact_id
)
SELECT contact_id,
       CASE WHEN known AND c_created_at < created_at THEN c_created_at ELSE created_at END
           AS created_at,
       CASE WHEN first_given OR NOT known THEN first_utm_source ELSE c_first_source END
           AS first_utm_source,
       CASE WHEN first_given OR NOT known THEN first_utm_medium ELSE c_first_medium END
           AS first_utm_medium,
       CASE WHEN first_given OR NOT known THEN first_utm_campaign ELSE c_first_campaign END
           AS first_utm_campaign,
       CASE WHEN first_given OR NOT known THEN first_utm_content ELSE c_first_content END
           AS first_utm_content,
       CASE WHEN first_given OR NOT known THEN first_utm_term ELSE c_first_term END
           AS first_utm_term,
       CASE WHEN last_given THEN last_utm_source WHEN c_last_given THEN c_last_source
            WHEN first_given THEN first_utm_source END AS last_utm_source,
       CASE WHEN last_given THEN last_utm_medium WHEN c_last_given THEN c_last_medium
            WHEN first_given THEN first_utm_medium END AS last_utm_medium,
       CASE WHEN last_given THEN last_utm_campaign WHEN c_last_given THEN c_last_campaign
            WHEN first_given THEN first_utm_campaign END AS last_utm_campaign,
       CASE WHEN last_given THEN last_utm_content WHEN c_last_given THEN c_last_content
            WHEN first_given THEN first_utm_content END AS last_utm_content,
       CASE WHEN last_given THEN last_utm_term WHEN c_last_given THEN c_last_term
            WHEN first_given THEN first_utm_term END AS last_utm_term,
       list_sort(list_distinct(list_filter(
           list_transform(
               list_concat(coalesce(c_tags, []::VARCHAR[]), coalesce(tags, []::VARCHAR[])),
               lambda t: trim(t)
           ),
           lambda t: t <> ''
       ))) AS tags,
       CASE WHEN c_fields IS NULL THEN fields
            ELSE json_merge_patch(c_fields, fields)::VARCHAR END AS fields
FROM j
ORDER BY row_no
