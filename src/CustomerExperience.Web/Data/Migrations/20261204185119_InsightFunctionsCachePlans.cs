using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <summary>
    /// The two rollup functions every booking's INSERT runs (cx.insight_count_visits twice, cx.insight_last_visits_of
    /// once) become PL/pgSQL with generic plans: a SQL function plans its statement afresh on every call, and for a
    /// booking that planning was 90% of the trigger's time (about 4.5 ms of a 5 ms INSERT with 100,000 visits; 0.5 ms
    /// after). The plans are the same ones the planner picks for a handful of pairs: index lookups per customer and
    /// service, which also serve the migration-sized calls (25,000 pairs: 0.62 s before and after). Bodies unchanged but
    /// for the locks of cx.insight_last_visits_of, which a bulk insert of visits of 25,000 customers ran out of.
    /// </summary>
    public partial class InsightFunctionsCachePlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(""""
                CREATE OR REPLACE FUNCTION cx.insight_count_visits(p_customer uuid[], p_service uuid[], p_sign integer, p_except uuid[] DEFAULT '{}'::uuid[])
                 RETURNS void
                 SET plan_cache_mode = force_generic_plan
                 LANGUAGE plpgsql
                AS $function$
                BEGIN
                    WITH pairs AS (SELECT DISTINCT customer_id, service_id FROM unnest(p_customer, p_service) AS p(customer_id, service_id)),
                    v AS (
                        SELECT a.id, a.customer_id, a.service_id, a.start, a.status, a.source, a.created_at, a.completed_at, a.location_id,
                               a.performed_by_id, a.checked_in_by_id, l.time_zone_id AS zone, (a.start AT TIME ZONE l.time_zone_id)::date AS day,
                               s.recall_interval_days AS recall, s.recall_interval_days IS NOT NULL OR s.coverage_interval_days IS NOT NULL AS recurring,
                               -- The next completed visit's date, and the first visit made after this one's start (not by the job).
                               min((a.start AT TIME ZONE l.time_zone_id)::date) FILTER (WHERE a.status = 'Completed') OVER later AS next_completed,
                               min(a.created_at) FILTER (WHERE a.source <> 'Rebooking') OVER later AS next_made
                        FROM pairs p JOIN cx.appointments a ON a.customer_id = p.customer_id AND a.service_id = p.service_id
                        JOIN cx.locations l ON l.id = a.location_id JOIN cx.services s ON s.id = a.service_id
                        WHERE a.id NOT IN (SELECT unnest(p_except))
                        WINDOW later AS (PARTITION BY a.customer_id, a.service_id ORDER BY a.start DESC
                                         GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
                    measures AS (
                        SELECT 'due' AS measure, v.day + v.recall AS day, v.location_id, v.service_id, v.performed_by_id, v.checked_in_by_id,
                               coalesce(v.next_completed <= v.day + v.recall + 90, false) AS hit
                        FROM v WHERE v.status = 'Completed' AND v.recall IS NOT NULL
                        UNION ALL
                        SELECT 'next', v.day, v.location_id, v.service_id, v.performed_by_id, v.checked_in_by_id,
                               coalesce(v.next_made < ((v.day + 1)::timestamp AT TIME ZONE v.zone), false)
                        FROM v WHERE v.status = 'Completed' AND v.recurring
                        UNION ALL
                        SELECT 'attended', v.day, v.location_id, v.service_id, v.performed_by_id, v.checked_in_by_id, v.status = 'NoShow'
                        FROM v WHERE v.status IN ('Completed', 'CheckedIn', 'NoShow')
                        UNION ALL
                        SELECT 'completed', (v.completed_at AT TIME ZONE v.zone)::date, v.location_id, v.service_id, v.performed_by_id, v.checked_in_by_id, false
                        FROM v WHERE v.status = 'Completed' AND v.completed_at IS NOT NULL
                        UNION ALL
                        -- (Looked up in the table by index, not in v: for every customer at once v is millions of rows.)
                        SELECT 'recall', (e.sent_at AT TIME ZONE last.zone)::date, last.location_id, p.service_id, last.performed_by_id, last.checked_in_by_id,
                               EXISTS (SELECT 1 FROM cx.appointments b WHERE b.customer_id = p.customer_id AND b.service_id = p.service_id
                                         AND b.created_at > e.sent_at AND b.created_at <= e.sent_at + interval '30 days' AND b.id NOT IN (SELECT unnest(p_except)))
                        FROM pairs p
                        JOIN cx.outbound_emails e ON e.customer_id = p.customer_id AND e.kind = 'recall' AND e.status = 'Sent'
                             AND split_part(e.idempotency_key, ':', 3) = p.service_id::text AND e.id NOT IN (SELECT unnest(p_except))
                        CROSS JOIN LATERAL (SELECT a.location_id, a.performed_by_id, a.checked_in_by_id, l.time_zone_id AS zone
                                            FROM cx.appointments a JOIN cx.locations l ON l.id = a.location_id
                                            WHERE a.customer_id = p.customer_id AND a.service_id = p.service_id AND a.status = 'Completed'
                                              AND a.start < e.sent_at AND a.id NOT IN (SELECT unnest(p_except))
                                            ORDER BY a.start DESC LIMIT 1) last),
                    cells AS (
                        SELECT team.staff_id, m.location_id, m.measure, m.day, m.service_id, count(*) AS visits, count(*) FILTER (WHERE m.hit) AS hits
                        FROM measures m
                        CROSS JOIN LATERAL (SELECT '' AS staff_id
                                            UNION SELECT s FROM unnest(ARRAY[m.performed_by_id, m.checked_in_by_id]) s WHERE s IS NOT NULL) team
                        GROUP BY 1, 2, 3, 4, 5)
                    INSERT INTO cx.insight_visit_days AS d (staff_id, location_id, measure, day, service_id, visits, hits)
                    SELECT staff_id, location_id, measure, day, service_id, p_sign * visits, p_sign * hits FROM cells ORDER BY 1, 2, 3, 4, 5
                    ON CONFLICT (staff_id, location_id, measure, day, service_id) DO UPDATE
                    SET visits = d.visits + excluded.visits, hits = d.hits + excluded.hits;
                END
                $function$;

                CREATE OR REPLACE FUNCTION cx.insight_last_visits_of(p_customer uuid[], p_service uuid[])
                 RETURNS void
                 SET plan_cache_mode = force_generic_plan
                 LANGUAGE plpgsql
                AS $function$
                BEGIN
                    -- One lock per pair, each in the shared hold of one lock for them all; a statement writing visits of more
                    -- than 1,000 pairs (an import, a seed) holds that one alone instead of thousands, which would exhaust the
                    -- lock table (25,000 pairs: "out of shared memory").
                    IF cardinality(p_customer) > 1000 THEN
                        PERFORM pg_advisory_xact_lock(hashtextextended('insight_last_visits', 0));
                    ELSE
                        PERFORM pg_advisory_xact_lock_shared(hashtextextended('insight_last_visits', 0));
                        PERFORM pg_advisory_xact_lock(k) FROM (
                            SELECT DISTINCT hashtextextended('insight_last_visits:' || c || ':' || s, 0) AS k
                            FROM unnest(p_customer, p_service) AS p(c, s) ORDER BY 1) keys;
                    END IF;

                    INSERT INTO cx.insight_last_visits AS x
                        (customer_id, service_id, location_id, appointment_id, day, due, performed_by_id, checked_in_by_id, booked)
                    SELECT p.customer_id, p.service_id, last.location_id, last.id, last.day, last.day + s.recall_interval_days,
                           last.performed_by_id, last.checked_in_by_id,
                           EXISTS (SELECT 1 FROM cx.appointments b WHERE b.customer_id = p.customer_id AND b.service_id = p.service_id
                                     AND b.start > last.start AND b.status IN ('Booked', 'CheckedIn'))
                    FROM (SELECT DISTINCT customer_id, service_id FROM unnest(p_customer, p_service) AS p(customer_id, service_id)) p
                    JOIN cx.services s ON s.id = p.service_id AND s.recall_interval_days IS NOT NULL
                    CROSS JOIN LATERAL (SELECT a.id, a.start, a.location_id, a.performed_by_id, a.checked_in_by_id,
                                               (a.start AT TIME ZONE l.time_zone_id)::date AS day
                                        FROM cx.appointments a JOIN cx.locations l ON l.id = a.location_id
                                        WHERE a.customer_id = p.customer_id AND a.service_id = p.service_id AND a.status = 'Completed'
                                        ORDER BY a.start DESC LIMIT 1) last
                    ORDER BY 1, 2
                    ON CONFLICT (customer_id, service_id) DO UPDATE
                    SET location_id = excluded.location_id, appointment_id = excluded.appointment_id, day = excluded.day, due = excluded.due,
                        performed_by_id = excluded.performed_by_id, checked_in_by_id = excluded.checked_in_by_id, booked = excluded.booked
                    WHERE (x.location_id, x.appointment_id, x.day, x.due, x.performed_by_id, x.checked_in_by_id, x.booked)
                          IS DISTINCT FROM (excluded.location_id, excluded.appointment_id, excluded.day, excluded.due,
                                            excluded.performed_by_id, excluded.checked_in_by_id, excluded.booked);

                    -- Pairs left without a completed visit, or whose service no longer recalls.
                    DELETE FROM cx.insight_last_visits x
                    USING unnest(p_customer, p_service) AS p(customer_id, service_id)
                    WHERE x.customer_id = p.customer_id AND x.service_id = p.service_id
                      AND NOT EXISTS (SELECT 1 FROM cx.appointments a JOIN cx.services s ON s.id = a.service_id
                                      WHERE a.customer_id = x.customer_id AND a.service_id = x.service_id AND a.status = 'Completed'
                                        AND s.recall_interval_days IS NOT NULL);
                END
                $function$;
                """");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(""""
                CREATE OR REPLACE FUNCTION cx.insight_count_visits(p_customer uuid[], p_service uuid[], p_sign integer, p_except uuid[] DEFAULT '{}'::uuid[])
                 RETURNS void
                 LANGUAGE sql
                AS $function$
                    WITH pairs AS (SELECT DISTINCT customer_id, service_id FROM unnest(p_customer, p_service) AS p(customer_id, service_id)),
                    v AS (
                        SELECT a.id, a.customer_id, a.service_id, a.start, a.status, a.source, a.created_at, a.completed_at, a.location_id,
                               a.performed_by_id, a.checked_in_by_id, l.time_zone_id AS zone, (a.start AT TIME ZONE l.time_zone_id)::date AS day,
                               s.recall_interval_days AS recall, s.recall_interval_days IS NOT NULL OR s.coverage_interval_days IS NOT NULL AS recurring,
                               -- The next completed visit's date, and the first visit made after this one's start (not by the job).
                               min((a.start AT TIME ZONE l.time_zone_id)::date) FILTER (WHERE a.status = 'Completed') OVER later AS next_completed,
                               min(a.created_at) FILTER (WHERE a.source <> 'Rebooking') OVER later AS next_made
                        FROM pairs p JOIN cx.appointments a ON a.customer_id = p.customer_id AND a.service_id = p.service_id
                        JOIN cx.locations l ON l.id = a.location_id JOIN cx.services s ON s.id = a.service_id
                        WHERE a.id NOT IN (SELECT unnest(p_except))
                        WINDOW later AS (PARTITION BY a.customer_id, a.service_id ORDER BY a.start DESC
                                         GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
                    measures AS (
                        SELECT 'due' AS measure, v.day + v.recall AS day, v.location_id, v.service_id, v.performed_by_id, v.checked_in_by_id,
                               coalesce(v.next_completed <= v.day + v.recall + 90, false) AS hit
                        FROM v WHERE v.status = 'Completed' AND v.recall IS NOT NULL
                        UNION ALL
                        SELECT 'next', v.day, v.location_id, v.service_id, v.performed_by_id, v.checked_in_by_id,
                               coalesce(v.next_made < ((v.day + 1)::timestamp AT TIME ZONE v.zone), false)
                        FROM v WHERE v.status = 'Completed' AND v.recurring
                        UNION ALL
                        SELECT 'attended', v.day, v.location_id, v.service_id, v.performed_by_id, v.checked_in_by_id, v.status = 'NoShow'
                        FROM v WHERE v.status IN ('Completed', 'CheckedIn', 'NoShow')
                        UNION ALL
                        SELECT 'completed', (v.completed_at AT TIME ZONE v.zone)::date, v.location_id, v.service_id, v.performed_by_id, v.checked_in_by_id, false
                        FROM v WHERE v.status = 'Completed' AND v.completed_at IS NOT NULL
                        UNION ALL
                        -- (Looked up in the table by index, not in v: for every customer at once v is millions of rows.)
                        SELECT 'recall', (e.sent_at AT TIME ZONE last.zone)::date, last.location_id, p.service_id, last.performed_by_id, last.checked_in_by_id,
                               EXISTS (SELECT 1 FROM cx.appointments b WHERE b.customer_id = p.customer_id AND b.service_id = p.service_id
                                         AND b.created_at > e.sent_at AND b.created_at <= e.sent_at + interval '30 days' AND b.id NOT IN (SELECT unnest(p_except)))
                        FROM pairs p
                        JOIN cx.outbound_emails e ON e.customer_id = p.customer_id AND e.kind = 'recall' AND e.status = 'Sent'
                             AND split_part(e.idempotency_key, ':', 3) = p.service_id::text AND e.id NOT IN (SELECT unnest(p_except))
                        CROSS JOIN LATERAL (SELECT a.location_id, a.performed_by_id, a.checked_in_by_id, l.time_zone_id AS zone
                                            FROM cx.appointments a JOIN cx.locations l ON l.id = a.location_id
                                            WHERE a.customer_id = p.customer_id AND a.service_id = p.service_id AND a.status = 'Completed'
                                              AND a.start < e.sent_at AND a.id NOT IN (SELECT unnest(p_except))
                                            ORDER BY a.start DESC LIMIT 1) last),
                    cells AS (
                        SELECT team.staff_id, m.location_id, m.measure, m.day, m.service_id, count(*) AS visits, count(*) FILTER (WHERE m.hit) AS hits
                        FROM measures m
                        CROSS JOIN LATERAL (SELECT '' AS staff_id
                                            UNION SELECT s FROM unnest(ARRAY[m.performed_by_id, m.checked_in_by_id]) s WHERE s IS NOT NULL) team
                        GROUP BY 1, 2, 3, 4, 5)
                    INSERT INTO cx.insight_visit_days AS d (staff_id, location_id, measure, day, service_id, visits, hits)
                    SELECT staff_id, location_id, measure, day, service_id, p_sign * visits, p_sign * hits FROM cells ORDER BY 1, 2, 3, 4, 5
                    ON CONFLICT (staff_id, location_id, measure, day, service_id) DO UPDATE
                    SET visits = d.visits + excluded.visits, hits = d.hits + excluded.hits;
                $function$;

                CREATE OR REPLACE FUNCTION cx.insight_last_visits_of(p_customer uuid[], p_service uuid[])
                 RETURNS void
                 LANGUAGE sql
                AS $function$
                    SELECT pg_advisory_xact_lock(k) FROM (
                        SELECT DISTINCT hashtextextended('insight_last_visits:' || c || ':' || s, 0) AS k
                        FROM unnest(p_customer, p_service) AS p(c, s) ORDER BY 1) keys;

                    INSERT INTO cx.insight_last_visits AS x
                        (customer_id, service_id, location_id, appointment_id, day, due, performed_by_id, checked_in_by_id, booked)
                    SELECT p.customer_id, p.service_id, last.location_id, last.id, last.day, last.day + s.recall_interval_days,
                           last.performed_by_id, last.checked_in_by_id,
                           EXISTS (SELECT 1 FROM cx.appointments b WHERE b.customer_id = p.customer_id AND b.service_id = p.service_id
                                     AND b.start > last.start AND b.status IN ('Booked', 'CheckedIn'))
                    FROM (SELECT DISTINCT customer_id, service_id FROM unnest(p_customer, p_service) AS p(customer_id, service_id)) p
                    JOIN cx.services s ON s.id = p.service_id AND s.recall_interval_days IS NOT NULL
                    CROSS JOIN LATERAL (SELECT a.id, a.start, a.location_id, a.performed_by_id, a.checked_in_by_id,
                                               (a.start AT TIME ZONE l.time_zone_id)::date AS day
                                        FROM cx.appointments a JOIN cx.locations l ON l.id = a.location_id
                                        WHERE a.customer_id = p.customer_id AND a.service_id = p.service_id AND a.status = 'Completed'
                                        ORDER BY a.start DESC LIMIT 1) last
                    ORDER BY 1, 2
                    ON CONFLICT (customer_id, service_id) DO UPDATE
                    SET location_id = excluded.location_id, appointment_id = excluded.appointment_id, day = excluded.day, due = excluded.due,
                        performed_by_id = excluded.performed_by_id, checked_in_by_id = excluded.checked_in_by_id, booked = excluded.booked
                    WHERE (x.location_id, x.appointment_id, x.day, x.due, x.performed_by_id, x.checked_in_by_id, x.booked)
                          IS DISTINCT FROM (excluded.location_id, excluded.appointment_id, excluded.day, excluded.due,
                                            excluded.performed_by_id, excluded.checked_in_by_id, excluded.booked);

                    -- Pairs left without a completed visit, or whose service no longer recalls.
                    DELETE FROM cx.insight_last_visits x
                    USING unnest(p_customer, p_service) AS p(customer_id, service_id)
                    WHERE x.customer_id = p.customer_id AND x.service_id = p.service_id
                      AND NOT EXISTS (SELECT 1 FROM cx.appointments a JOIN cx.services s ON s.id = a.service_id
                                      WHERE a.customer_id = x.customer_id AND a.service_id = x.service_id AND a.status = 'Completed'
                                        AND s.recall_interval_days IS NOT NULL);
                $function$;
                """");
        }
    }
}
