-- Drill-down of the bottleneck figures (report_bottlenecks.sql), per contact over the jm_stays
-- view: {mode} 'dwell' lists the contacts with completed stays on element {target} (at: the
-- first such arrival; value: their completed stays), 'stuck' those here now past the configured
-- dwell plus {grace_us} (at: the arrival; value: seconds here), 'drop_off' those who moved along
-- connector {target} and stopped ({stall_us}, {ends}; at: the first such arrival; value: seconds
-- it sat still, to its next move away or to {now}).
WITH s AS (
    SELECT *
    FROM jm_stays(map_id = {map_id:String}, last_touch = {last_touch:Bool},
             from = {from:Nullable(DateTime64(6, 'UTC'))}, to = {to:Nullable(DateTime64(6, 'UTC'))},
             utm_source = {utm_source:Nullable(String)}, utm_medium = {utm_medium:Nullable(String)},
             utm_campaign = {utm_campaign:Nullable(String)}, utm_content = {utm_content:Nullable(String)},
             utm_term = {utm_term:Nullable(String)},
             ids = {ids:Array(String)}, conf_us = {conf_us:Array(Nullable(Int64))},
             now = {now:DateTime64(6, 'UTC')})
),
picked AS (
    SELECT contact_id, arrived_at, us
    FROM s
    WHERE multiIf(
        {mode:String} = 'dwell',
        connector_id IS NULL AND element_id = {target:String} AND left_at IS NOT NULL,
        {mode:String} = 'stuck',
        connector_id IS NULL AND element_id = {target:String} AND left_at IS NULL
            AND conf_us IS NOT NULL AND us > conf_us + {grace_us:Int64},
        connector_id = {target:String} AND NOT has({ends:Array(String)}, element_id)
            AND (left_kind = 'exit' OR us > coalesce(conf_us, 0) + {stall_us:Int64}))
),
hit AS (
    SELECT contact_id, min(arrived_at) AS at,
           if({mode:String} = 'dwell', toFloat64(count()), argMin(us, arrived_at) / 1e6) AS value
    FROM picked
    GROUP BY contact_id
)
-- (the page of contacts: drill_page.sql)
