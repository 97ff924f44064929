SELECT greatest(
    coalesce((SELECT max(seq) FROM transitions), 0),
    coalesce((SELECT max(seq) FROM achievements), 0)
) AS max_seq
