using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <summary>
    /// Daily survey counts kept by triggers, so the insights figures add up a few hundred rows per location and day
    /// instead of every answer of the period (Insights/InsightRollups.md says how they are kept).
    /// </summary>
    public partial class InsightRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- One row per local day, location, channel, service (the zero id for none: anonymous kiosk responses) and
                -- question; question_key '' counts the responses themselves. The staff table has the same counts once per
                -- member of each visit's care team (performed or checked in; once when both).
                CREATE TABLE cx.insight_days (
                    day date NOT NULL,
                    location_id uuid NOT NULL REFERENCES cx.locations (id) ON DELETE CASCADE,
                    channel varchar(32) NOT NULL,
                    service_id uuid NOT NULL,
                    question_key varchar(32) NOT NULL,
                    scale varchar(32) NOT NULL,
                    answers integer NOT NULL,
                    top_box integer NOT NULL,
                    detractors integer NOT NULL,
                    PRIMARY KEY (day, location_id, channel, service_id, question_key, scale));
                CREATE TABLE cx.insight_staff_days (
                    day date NOT NULL,
                    staff_id text NOT NULL,
                    location_id uuid NOT NULL REFERENCES cx.locations (id) ON DELETE CASCADE,
                    channel varchar(32) NOT NULL,
                    service_id uuid NOT NULL,
                    question_key varchar(32) NOT NULL,
                    scale varchar(32) NOT NULL,
                    answers integer NOT NULL,
                    top_box integer NOT NULL,
                    detractors integer NOT NULL,
                    PRIMARY KEY (day, staff_id, location_id, channel, service_id, question_key, scale));
                CREATE INDEX ix_insight_staff_days_staff_id_day ON cx.insight_staff_days (staff_id, day);

                -- Adds p_sign times the given answers (question_key NULL: the responses themselves) to their cells, as the
                -- rows stand now. Cells are locked in key order, so two transactions never wait on each other in a circle.
                -- p_without_visit counts the responses as if they had no visit (for a visit being deleted).
                CREATE FUNCTION cx.insight_count(p_response uuid[], p_key text[], p_score integer[], p_sign integer,
                                                 p_without_visit boolean DEFAULT false) RETURNS void
                LANGUAGE sql AS $fn$
                    WITH cells AS (
                        SELECT (r.submitted_at AT TIME ZONE l.time_zone_id)::date AS day, r.location_id, r.channel,
                               coalesce(a.service_id, '00000000-0000-0000-0000-000000000000') AS service_id,
                               coalesce(x.key, '') AS question_key, coalesce(sq.scale, '') AS scale, team.staff_id,
                               (sq.scale = 'Labelled5' AND x.score = 5) OR (sq.scale = 'Recommend10' AND x.score >= 9) AS top,
                               sq.scale = 'Recommend10' AND x.score <= 6 AS detractor
                        FROM unnest(p_response, p_key, p_score) AS x(response_id, key, score)
                        JOIN cx.survey_responses r ON r.id = x.response_id
                        JOIN cx.locations l ON l.id = r.location_id
                        LEFT JOIN cx.survey_questions sq ON sq.definition_version = r.definition_version AND sq.key = x.key
                        LEFT JOIN cx.appointments a ON a.id = r.appointment_id AND NOT p_without_visit
                        CROSS JOIN LATERAL (SELECT '' AS staff_id
                                            UNION SELECT s FROM unnest(ARRAY[a.performed_by_id, a.checked_in_by_id]) s WHERE s IS NOT NULL) team
                        WHERE x.key IS NULL OR sq.key IS NOT NULL),
                    everyone AS (
                        INSERT INTO cx.insight_days AS d (day, location_id, channel, service_id, question_key, scale, answers, top_box, detractors)
                        SELECT day, location_id, channel, service_id, question_key, scale,
                               p_sign * count(*), p_sign * count(*) FILTER (WHERE top), p_sign * count(*) FILTER (WHERE detractor)
                        FROM cells WHERE staff_id = ''
                        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
                        ON CONFLICT (day, location_id, channel, service_id, question_key, scale) DO UPDATE
                        SET answers = d.answers + excluded.answers, top_box = d.top_box + excluded.top_box, detractors = d.detractors + excluded.detractors)
                    INSERT INTO cx.insight_staff_days AS d (day, staff_id, location_id, channel, service_id, question_key, scale, answers, top_box, detractors)
                    SELECT day, staff_id, location_id, channel, service_id, question_key, scale,
                           p_sign * count(*), p_sign * count(*) FILTER (WHERE top), p_sign * count(*) FILTER (WHERE detractor)
                    FROM cells WHERE staff_id <> ''
                    GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
                    ON CONFLICT (day, staff_id, location_id, channel, service_id, question_key, scale) DO UPDATE
                    SET answers = d.answers + excluded.answers, top_box = d.top_box + excluded.top_box, detractors = d.detractors + excluded.detractors;
                $fn$;

                -- The responses and all their answers.
                CREATE FUNCTION cx.insight_count_responses(p_response uuid[], p_sign integer, p_without_visit boolean DEFAULT false) RETURNS void
                LANGUAGE sql AS $fn$
                    SELECT cx.insight_count(array_agg(x.id), array_agg(x.key), array_agg(x.score), p_sign, p_without_visit)
                    FROM (SELECT r.id, NULL::text AS key, NULL::integer AS score FROM unnest(p_response) AS r(id)
                          UNION ALL
                          SELECT s.response_id, s.question_key, s.score FROM unnest(p_response) AS r(id) JOIN cx.survey_answers s ON s.response_id = r.id) x
                    HAVING count(*) > 0;
                $fn$;

                CREATE FUNCTION cx.insight_answers_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF TG_OP IN ('DELETE', 'UPDATE') THEN
                        -- A response deleted with its answers was already taken off (insight_response_changed).
                        PERFORM cx.insight_count(array_agg(response_id), array_agg(question_key::text), array_agg(score), -1) FROM removed HAVING count(*) > 0;
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                        PERFORM cx.insight_count(array_agg(response_id), array_agg(question_key::text), array_agg(score), 1) FROM added HAVING count(*) > 0;
                    END IF;
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER insight_answers_added AFTER INSERT ON cx.survey_answers
                    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION cx.insight_answers_changed();
                CREATE TRIGGER insight_answers_removed AFTER DELETE ON cx.survey_answers
                    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION cx.insight_answers_changed();
                CREATE TRIGGER insight_answers_updated AFTER UPDATE ON cx.survey_answers
                    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION cx.insight_answers_changed();

                CREATE FUNCTION cx.insight_responses_added() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    PERFORM cx.insight_count_responses(array_agg(id), 1) FROM added HAVING count(*) > 0;
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER insight_responses_added AFTER INSERT ON cx.survey_responses
                    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION cx.insight_responses_added();

                -- A change that moves a response to other cells: off before it (as the rows stand then), on after it.
                CREATE FUNCTION cx.insight_response_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF TG_WHEN = 'BEFORE' THEN
                        PERFORM cx.insight_count_responses(ARRAY[OLD.id], -1);
                        RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
                    END IF;
                    PERFORM cx.insight_count_responses(ARRAY[NEW.id], 1);
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER insight_response_before BEFORE UPDATE ON cx.survey_responses FOR EACH ROW
                    WHEN ((OLD.location_id, OLD.channel, OLD.submitted_at, OLD.appointment_id, OLD.definition_version)
                          IS DISTINCT FROM (NEW.location_id, NEW.channel, NEW.submitted_at, NEW.appointment_id, NEW.definition_version))
                    EXECUTE FUNCTION cx.insight_response_changed();
                CREATE TRIGGER insight_response_after AFTER UPDATE ON cx.survey_responses FOR EACH ROW
                    WHEN ((OLD.location_id, OLD.channel, OLD.submitted_at, OLD.appointment_id, OLD.definition_version)
                          IS DISTINCT FROM (NEW.location_id, NEW.channel, NEW.submitted_at, NEW.appointment_id, NEW.definition_version))
                    EXECUTE FUNCTION cx.insight_response_changed();
                CREATE TRIGGER insight_response_deleted BEFORE DELETE ON cx.survey_responses FOR EACH ROW
                    EXECUTE FUNCTION cx.insight_response_changed();

                -- A visit's service or care team changed: its responses move.
                CREATE FUNCTION cx.insight_visit_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
                DECLARE responses uuid[];
                BEGIN
                    SELECT array_agg(id) INTO responses FROM cx.survey_responses WHERE appointment_id = CASE TG_OP WHEN 'DELETE' THEN OLD.id ELSE NEW.id END;
                    IF responses IS NULL THEN RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END; END IF;
                    IF TG_OP = 'DELETE' THEN
                        -- The responses lose their visit (ON DELETE SET NULL), which moves them from cells the rows no longer show.
                        PERFORM cx.insight_count_responses(responses, -1);
                        PERFORM cx.insight_count_responses(responses, 1, true);
                        RETURN OLD;
                    END IF;
                    PERFORM cx.insight_count_responses(responses, CASE TG_WHEN WHEN 'BEFORE' THEN -1 ELSE 1 END);
                    RETURN NEW;
                END $fn$;
                CREATE TRIGGER insight_visit_before BEFORE UPDATE ON cx.appointments FOR EACH ROW
                    WHEN ((OLD.service_id, OLD.performed_by_id, OLD.checked_in_by_id) IS DISTINCT FROM (NEW.service_id, NEW.performed_by_id, NEW.checked_in_by_id))
                    EXECUTE FUNCTION cx.insight_visit_changed();
                CREATE TRIGGER insight_visit_after AFTER UPDATE ON cx.appointments FOR EACH ROW
                    WHEN ((OLD.service_id, OLD.performed_by_id, OLD.checked_in_by_id) IS DISTINCT FROM (NEW.service_id, NEW.performed_by_id, NEW.checked_in_by_id))
                    EXECUTE FUNCTION cx.insight_visit_changed();
                CREATE TRIGGER insight_visit_deleted BEFORE DELETE ON cx.appointments FOR EACH ROW
                    EXECUTE FUNCTION cx.insight_visit_changed();

                -- A location's time zone changed: its responses fall on other local days.
                CREATE FUNCTION cx.insight_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    PERFORM cx.insight_count_responses(array_agg(id), CASE TG_WHEN WHEN 'BEFORE' THEN -1 ELSE 1 END)
                    FROM cx.survey_responses WHERE location_id = NEW.id HAVING count(*) > 0;
                    RETURN NEW;
                END $fn$;
                CREATE TRIGGER insight_zone_before BEFORE UPDATE OF time_zone_id ON cx.locations FOR EACH ROW
                    WHEN (OLD.time_zone_id IS DISTINCT FROM NEW.time_zone_id) EXECUTE FUNCTION cx.insight_zone_changed();
                CREATE TRIGGER insight_zone_after AFTER UPDATE OF time_zone_id ON cx.locations FOR EACH ROW
                    WHEN (OLD.time_zone_id IS DISTINCT FROM NEW.time_zone_id) EXECUTE FUNCTION cx.insight_zone_changed();

                SELECT cx.insight_count_responses(array_agg(id), 1) FROM cx.survey_responses HAVING count(*) > 0;
                ANALYZE cx.insight_days, cx.insight_staff_days;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER insight_zone_after ON cx.locations;
                DROP TRIGGER insight_zone_before ON cx.locations;
                DROP TRIGGER insight_visit_deleted ON cx.appointments;
                DROP TRIGGER insight_visit_after ON cx.appointments;
                DROP TRIGGER insight_visit_before ON cx.appointments;
                DROP TRIGGER insight_response_deleted ON cx.survey_responses;
                DROP TRIGGER insight_response_after ON cx.survey_responses;
                DROP TRIGGER insight_response_before ON cx.survey_responses;
                DROP TRIGGER insight_responses_added ON cx.survey_responses;
                DROP TRIGGER insight_answers_updated ON cx.survey_answers;
                DROP TRIGGER insight_answers_removed ON cx.survey_answers;
                DROP TRIGGER insight_answers_added ON cx.survey_answers;
                DROP FUNCTION cx.insight_zone_changed();
                DROP FUNCTION cx.insight_visit_changed();
                DROP FUNCTION cx.insight_response_changed();
                DROP FUNCTION cx.insight_responses_added();
                DROP FUNCTION cx.insight_answers_changed();
                DROP FUNCTION cx.insight_count_responses(uuid[], integer, boolean);
                DROP FUNCTION cx.insight_count(uuid[], text[], integer[], integer, boolean);
                DROP TABLE cx.insight_staff_days;
                DROP TABLE cx.insight_days;
                """);
        }
    }
}
