using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <summary>
    /// The lapsed list without reading a year of visits: per customer and recalled service, the last completed visit,
    /// the day the customer is due again and whether a later visit is booked, kept by triggers like the daily counts
    /// (InsightVisitRollups) and read by due date.
    /// </summary>
    public partial class InsightLastVisits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- One row per customer and service with a recall interval that has a completed visit: the last one (its
                -- local date and care team), due = that date + the interval, booked = a later visit is booked or checked in.
                CREATE TABLE cx.insight_last_visits (
                    customer_id uuid NOT NULL REFERENCES cx.customers (id) ON DELETE CASCADE,
                    service_id uuid NOT NULL REFERENCES cx.services (id) ON DELETE CASCADE,
                    location_id uuid NOT NULL REFERENCES cx.locations (id) ON DELETE CASCADE,
                    appointment_id uuid NOT NULL,
                    day date NOT NULL,
                    due date NOT NULL,
                    performed_by_id text,
                    checked_in_by_id text,
                    booked boolean NOT NULL,
                    PRIMARY KEY (customer_id, service_id));
                CREATE INDEX ix_insight_last_visits_lapsed ON cx.insight_last_visits (due, customer_id) WHERE NOT booked;
                CREATE INDEX ix_insight_last_visits_location_lapsed ON cx.insight_last_visits (location_id, due, customer_id) WHERE NOT booked;

                -- Works the rows of the given customers and services (pairs by position) out afresh from their visits as
                -- they stand. Each pair is locked for the rest of the transaction first, so two transactions writing
                -- visits of one pair at once take turns and the second reads the first's visits (each statement of a SQL
                -- function reads with a new snapshot), rather than writing a row worked out without them.
                CREATE FUNCTION cx.insight_last_visits_of(p_customer uuid[], p_service uuid[]) RETURNS void
                LANGUAGE sql AS $fn$
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
                $fn$;

                -- Visits inserted (per statement, after it: bookings insert with ON CONFLICT DO NOTHING, the demo by COPY).
                CREATE FUNCTION cx.insight_last_visits_added() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    PERFORM cx.insight_last_visits_of(array_agg(customer_id), array_agg(service_id)) FROM added HAVING count(*) > 0;
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER insight_last_visits_added AFTER INSERT ON cx.appointments
                    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION cx.insight_last_visits_added();

                -- A visit changed in what the row depends on, or deleted: its pair (before and after a move, both).
                CREATE FUNCTION cx.insight_last_visit_written() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        PERFORM cx.insight_last_visits_of(ARRAY[OLD.customer_id], ARRAY[OLD.service_id]);
                    ELSE
                        PERFORM cx.insight_last_visits_of(ARRAY[OLD.customer_id, NEW.customer_id], ARRAY[OLD.service_id, NEW.service_id]);
                    END IF;
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER insight_last_visit_deleted AFTER DELETE ON cx.appointments FOR EACH ROW
                    EXECUTE FUNCTION cx.insight_last_visit_written();
                CREATE TRIGGER insight_last_visit_updated AFTER UPDATE ON cx.appointments FOR EACH ROW
                    WHEN ((OLD.customer_id, OLD.service_id, OLD.location_id, OLD.start, OLD.status, OLD.performed_by_id, OLD.checked_in_by_id)
                          IS DISTINCT FROM (NEW.customer_id, NEW.service_id, NEW.location_id, NEW.start, NEW.status, NEW.performed_by_id, NEW.checked_in_by_id))
                    EXECUTE FUNCTION cx.insight_last_visit_written();

                -- A location's time zone or a service's recall interval changed: every pair with visits there.
                CREATE FUNCTION cx.insight_last_visits_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    PERFORM cx.insight_last_visits_of(array_agg(customer_id), array_agg(service_id))
                    FROM (SELECT DISTINCT customer_id, service_id FROM cx.appointments
                          WHERE CASE TG_TABLE_NAME WHEN 'locations' THEN location_id ELSE service_id END = NEW.id) pairs
                    HAVING count(*) > 0;
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER insight_last_visits_zone AFTER UPDATE OF time_zone_id ON cx.locations FOR EACH ROW
                    WHEN (OLD.time_zone_id IS DISTINCT FROM NEW.time_zone_id) EXECUTE FUNCTION cx.insight_last_visits_settings_changed();
                CREATE TRIGGER insight_last_visits_interval AFTER UPDATE ON cx.services FOR EACH ROW
                    WHEN (OLD.recall_interval_days IS DISTINCT FROM NEW.recall_interval_days)
                    EXECUTE FUNCTION cx.insight_last_visits_settings_changed();

                -- The rows for the visits already there, in one pass rather than pair by pair.
                INSERT INTO cx.insight_last_visits (customer_id, service_id, location_id, appointment_id, day, due, performed_by_id, checked_in_by_id, booked)
                SELECT last.customer_id, last.service_id, last.location_id, last.id, last.day, last.day + last.recall,
                       last.performed_by_id, last.checked_in_by_id,
                       EXISTS (SELECT 1 FROM cx.appointments b WHERE b.customer_id = last.customer_id AND b.service_id = last.service_id
                                 AND b.start > last.start AND b.status IN ('Booked', 'CheckedIn'))
                FROM (SELECT DISTINCT ON (a.customer_id, a.service_id) a.customer_id, a.service_id, a.id, a.start, a.location_id,
                             a.performed_by_id, a.checked_in_by_id, (a.start AT TIME ZONE l.time_zone_id)::date AS day, s.recall_interval_days AS recall
                      FROM cx.appointments a JOIN cx.locations l ON l.id = a.location_id JOIN cx.services s ON s.id = a.service_id
                      WHERE a.status = 'Completed' AND s.recall_interval_days IS NOT NULL
                      ORDER BY a.customer_id, a.service_id, a.start DESC) last;
                ANALYZE cx.insight_last_visits;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER insight_last_visits_interval ON cx.services;
                DROP TRIGGER insight_last_visits_zone ON cx.locations;
                DROP TRIGGER insight_last_visit_updated ON cx.appointments;
                DROP TRIGGER insight_last_visit_deleted ON cx.appointments;
                DROP TRIGGER insight_last_visits_added ON cx.appointments;
                DROP FUNCTION cx.insight_last_visits_settings_changed();
                DROP FUNCTION cx.insight_last_visit_written();
                DROP FUNCTION cx.insight_last_visits_added();
                DROP FUNCTION cx.insight_last_visits_of(uuid[], uuid[]);
                DROP TABLE cx.insight_last_visits;
                """);
        }
    }
}
