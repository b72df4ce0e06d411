using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <summary>
    /// Daily visit and recall counts for the loyalty figures, kept by triggers per customer and service (a visit's figures
    /// depend on the customer's other visits of its service), as InsightRollups does for the survey.
    /// </summary>
    public partial class InsightVisitRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- Per measure, local day, location and service: how many visits (or recall emails) count, and how many of
                -- them hit. staff_id '' is everyone; otherwise once per member of the visit's care team.
                --   due        completed visit of a recalled service, on its date + the recall interval; hit: a later
                --              completed visit by 90 days after that
                --   next       completed visit of a recurring service, on its date; hit: a later visit made by the end of
                --              that day, not by the rebooking job
                --   attended   completed, checked-in or no-show visit, on its date; hit: no-show
                --   completed  completed visit, on the date it was completed
                --   recall     sent recall email, on the date it was sent, at the customer's last completed visit of the
                --              service before it; hit: a visit of the service booked within 30 days after
                CREATE TABLE cx.insight_visit_days (
                    staff_id text NOT NULL,
                    location_id uuid NOT NULL REFERENCES cx.locations (id) ON DELETE CASCADE,
                    measure varchar(16) NOT NULL,
                    day date NOT NULL,
                    service_id uuid NOT NULL,
                    visits integer NOT NULL,
                    hits integer NOT NULL,
                    PRIMARY KEY (staff_id, location_id, measure, day, service_id));

                -- Adds p_sign times the counts of the given customers' visits and recall emails of the given services
                -- (pairs by position), as the rows stand now; the visits and emails in p_except counted as if not there.
                CREATE FUNCTION cx.insight_count_visits(p_customer uuid[], p_service uuid[], p_sign integer, p_except uuid[] DEFAULT '{}') RETURNS void
                LANGUAGE sql AS $fn$
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
                        WINDOW later AS (PARTITION BY a.customer_id, a.service_id ORDER BY a.start
                                         RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE GROUP)),
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
                $fn$;

                -- Visits inserted: after the statement, the counts of their customers and services as if they were not
                -- there come off and the counts as they are go on (once per statement: the demo's COPY writes thousands;
                -- and after, not before, since a booking's INSERT … ON CONFLICT DO NOTHING may insert nothing).
                CREATE FUNCTION cx.insight_visits_added() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    PERFORM cx.insight_count_visits(array_agg(customer_id), array_agg(service_id), -1, array_agg(id)) FROM added HAVING count(*) > 0;
                    PERFORM cx.insight_count_visits(array_agg(customer_id), array_agg(service_id), 1) FROM added HAVING count(*) > 0;
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER insight_visits_added AFTER INSERT ON cx.appointments
                    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION cx.insight_visits_added();

                -- A visit changed or deleted: the counts of its customer and service (before and after a move, of both)
                -- come off before the change, as the rows stand then, and go on after it.
                CREATE FUNCTION cx.insight_visit_written() RETURNS trigger LANGUAGE plpgsql AS $fn$
                DECLARE sign integer := CASE TG_WHEN WHEN 'BEFORE' THEN -1 ELSE 1 END;
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        PERFORM cx.insight_count_visits(ARRAY[OLD.customer_id], ARRAY[OLD.service_id], sign);
                    ELSE
                        PERFORM cx.insight_count_visits(ARRAY[OLD.customer_id, NEW.customer_id], ARRAY[OLD.service_id, NEW.service_id], sign);
                    END IF;
                    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
                END $fn$;
                CREATE TRIGGER insight_visit_rollup_before BEFORE DELETE ON cx.appointments FOR EACH ROW
                    EXECUTE FUNCTION cx.insight_visit_written();
                CREATE TRIGGER insight_visit_rollup_after AFTER DELETE ON cx.appointments FOR EACH ROW
                    EXECUTE FUNCTION cx.insight_visit_written();
                CREATE TRIGGER insight_visit_rollup_before_update BEFORE UPDATE ON cx.appointments FOR EACH ROW
                    WHEN ((OLD.customer_id, OLD.service_id, OLD.location_id, OLD.start, OLD.status, OLD.source, OLD.created_at, OLD.completed_at,
                           OLD.performed_by_id, OLD.checked_in_by_id)
                          IS DISTINCT FROM (NEW.customer_id, NEW.service_id, NEW.location_id, NEW.start, NEW.status, NEW.source, NEW.created_at,
                           NEW.completed_at, NEW.performed_by_id, NEW.checked_in_by_id))
                    EXECUTE FUNCTION cx.insight_visit_written();
                CREATE TRIGGER insight_visit_rollup_after_update AFTER UPDATE ON cx.appointments FOR EACH ROW
                    WHEN ((OLD.customer_id, OLD.service_id, OLD.location_id, OLD.start, OLD.status, OLD.source, OLD.created_at, OLD.completed_at,
                           OLD.performed_by_id, OLD.checked_in_by_id)
                          IS DISTINCT FROM (NEW.customer_id, NEW.service_id, NEW.location_id, NEW.start, NEW.status, NEW.source, NEW.created_at,
                           NEW.completed_at, NEW.performed_by_id, NEW.checked_in_by_id))
                    EXECUTE FUNCTION cx.insight_visit_written();

                -- A recall email sent, or no longer: its customer and service, the same way.
                CREATE FUNCTION cx.insight_recall_written() RETURNS trigger LANGUAGE plpgsql AS $fn$
                DECLARE sign integer := CASE TG_WHEN WHEN 'BEFORE' THEN -1 ELSE 1 END;
                        customers uuid[] := ARRAY[]::uuid[]; services uuid[] := ARRAY[]::uuid[];
                        service text;
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.customer_id IS NOT NULL THEN
                        service := split_part(OLD.idempotency_key, ':', 3);
                        IF service ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
                            customers := customers || OLD.customer_id; services := services || service::uuid;
                        END IF;
                    END IF;
                    IF TG_OP = 'UPDATE' AND NEW.customer_id IS NOT NULL THEN
                        service := split_part(NEW.idempotency_key, ':', 3);
                        IF service ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
                            customers := customers || NEW.customer_id; services := services || service::uuid;
                        END IF;
                    END IF;
                    PERFORM cx.insight_count_visits(customers, services, sign);
                    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
                END $fn$;
                -- Recall emails inserted as sent (the demo's history; the outbox inserts them pending), per statement
                -- and after it, as for visits.
                CREATE FUNCTION cx.insight_recalls_added() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    PERFORM cx.insight_count_visits(array_agg(customer_id), array_agg(service), -1, array_agg(id)),
                            cx.insight_count_visits(array_agg(customer_id), array_agg(service), 1)
                    FROM (SELECT id, customer_id, split_part(idempotency_key, ':', 3)::uuid AS service FROM added
                          WHERE kind = 'recall' AND status = 'Sent' AND customer_id IS NOT NULL
                            AND split_part(idempotency_key, ':', 3) ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$') x
                    HAVING count(*) > 0;
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER insight_recalls_added AFTER INSERT ON cx.outbound_emails
                    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION cx.insight_recalls_added();
                CREATE TRIGGER insight_recall_before_delete BEFORE DELETE ON cx.outbound_emails FOR EACH ROW
                    WHEN (OLD.kind = 'recall' AND OLD.status = 'Sent') EXECUTE FUNCTION cx.insight_recall_written();
                CREATE TRIGGER insight_recall_after_delete AFTER DELETE ON cx.outbound_emails FOR EACH ROW
                    WHEN (OLD.kind = 'recall' AND OLD.status = 'Sent') EXECUTE FUNCTION cx.insight_recall_written();
                CREATE TRIGGER insight_recall_before_update BEFORE UPDATE ON cx.outbound_emails FOR EACH ROW
                    WHEN ((OLD.kind = 'recall' OR NEW.kind = 'recall') AND (OLD.status = 'Sent' OR NEW.status = 'Sent')
                          AND (OLD.kind, OLD.status, OLD.sent_at, OLD.customer_id, OLD.idempotency_key)
                              IS DISTINCT FROM (NEW.kind, NEW.status, NEW.sent_at, NEW.customer_id, NEW.idempotency_key))
                    EXECUTE FUNCTION cx.insight_recall_written();
                CREATE TRIGGER insight_recall_after_update AFTER UPDATE ON cx.outbound_emails FOR EACH ROW
                    WHEN ((OLD.kind = 'recall' OR NEW.kind = 'recall') AND (OLD.status = 'Sent' OR NEW.status = 'Sent')
                          AND (OLD.kind, OLD.status, OLD.sent_at, OLD.customer_id, OLD.idempotency_key)
                              IS DISTINCT FROM (NEW.kind, NEW.status, NEW.sent_at, NEW.customer_id, NEW.idempotency_key))
                    EXECUTE FUNCTION cx.insight_recall_written();

                -- A location's time zone or a service's intervals changed: every customer's counts there move.
                CREATE FUNCTION cx.insight_visit_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    PERFORM cx.insight_count_visits(array_agg(customer_id), array_agg(service_id), CASE TG_WHEN WHEN 'BEFORE' THEN -1 ELSE 1 END)
                    FROM (SELECT DISTINCT customer_id, service_id FROM cx.appointments
                          WHERE CASE TG_TABLE_NAME WHEN 'locations' THEN location_id ELSE service_id END = NEW.id) pairs
                    HAVING count(*) > 0;
                    RETURN NEW;
                END $fn$;
                CREATE TRIGGER insight_visit_zone_before BEFORE UPDATE OF time_zone_id ON cx.locations FOR EACH ROW
                    WHEN (OLD.time_zone_id IS DISTINCT FROM NEW.time_zone_id) EXECUTE FUNCTION cx.insight_visit_settings_changed();
                CREATE TRIGGER insight_visit_zone_after AFTER UPDATE OF time_zone_id ON cx.locations FOR EACH ROW
                    WHEN (OLD.time_zone_id IS DISTINCT FROM NEW.time_zone_id) EXECUTE FUNCTION cx.insight_visit_settings_changed();
                CREATE TRIGGER insight_visit_intervals_before BEFORE UPDATE ON cx.services FOR EACH ROW
                    WHEN ((OLD.recall_interval_days, OLD.coverage_interval_days) IS DISTINCT FROM (NEW.recall_interval_days, NEW.coverage_interval_days))
                    EXECUTE FUNCTION cx.insight_visit_settings_changed();
                CREATE TRIGGER insight_visit_intervals_after AFTER UPDATE ON cx.services FOR EACH ROW
                    WHEN ((OLD.recall_interval_days, OLD.coverage_interval_days) IS DISTINCT FROM (NEW.recall_interval_days, NEW.coverage_interval_days))
                    EXECUTE FUNCTION cx.insight_visit_settings_changed();

                SELECT cx.insight_count_visits(array_agg(customer_id), array_agg(service_id), 1)
                FROM (SELECT DISTINCT customer_id, service_id FROM cx.appointments) pairs HAVING count(*) > 0;
                ANALYZE cx.insight_visit_days;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER insight_visit_intervals_after ON cx.services;
                DROP TRIGGER insight_visit_intervals_before ON cx.services;
                DROP TRIGGER insight_visit_zone_after ON cx.locations;
                DROP TRIGGER insight_visit_zone_before ON cx.locations;
                DROP TRIGGER insight_recall_after_update ON cx.outbound_emails;
                DROP TRIGGER insight_recall_before_update ON cx.outbound_emails;
                DROP TRIGGER insight_recall_after_delete ON cx.outbound_emails;
                DROP TRIGGER insight_recall_before_delete ON cx.outbound_emails;
                DROP TRIGGER insight_recalls_added ON cx.outbound_emails;
                DROP TRIGGER insight_visit_rollup_after_update ON cx.appointments;
                DROP TRIGGER insight_visit_rollup_before_update ON cx.appointments;
                DROP TRIGGER insight_visit_rollup_after ON cx.appointments;
                DROP TRIGGER insight_visit_rollup_before ON cx.appointments;
                DROP TRIGGER insight_visits_added ON cx.appointments;
                DROP FUNCTION cx.insight_visit_settings_changed();
                DROP FUNCTION cx.insight_recall_written();
                DROP FUNCTION cx.insight_visit_written();
                DROP FUNCTION cx.insight_visits_added();
                DROP FUNCTION cx.insight_recalls_added();
                DROP FUNCTION cx.insight_count_visits(uuid[], uuid[], integer, uuid[]);
                DROP TABLE cx.insight_visit_days;
                """);
        }
    }
}
