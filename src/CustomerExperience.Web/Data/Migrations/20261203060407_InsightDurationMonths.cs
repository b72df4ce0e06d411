using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <summary>
    /// How long complete survey responses took, counted per calendar month (local at the location), location, channel
    /// and whole second, kept by triggers on the responses: the median of a year is read from a few thousand counts
    /// instead of every response (InsightsQueries.MedianSecondsAsync reads the days around whole months from the
    /// responses themselves, and the whole period there when a service or staff member is chosen).
    /// </summary>
    public partial class InsightDurationMonths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE cx.insight_duration_months (
                    month date NOT NULL,
                    location_id uuid NOT NULL REFERENCES cx.locations (id) ON DELETE CASCADE,
                    channel varchar(32) NOT NULL,
                    seconds integer NOT NULL,
                    responses integer NOT NULL,
                    PRIMARY KEY (month, location_id, channel, seconds));

                -- Adds p_sign for each given complete response with a duration, as its row and its location stand now.
                -- Cells are locked in key order, so two transactions never wait on each other in a circle.
                CREATE FUNCTION cx.insight_count_durations(p_location uuid[], p_channel text[], p_submitted timestamptz[],
                                                           p_seconds integer[], p_sign integer) RETURNS void
                LANGUAGE sql AS $fn$
                    INSERT INTO cx.insight_duration_months AS m (month, location_id, channel, seconds, responses)
                    SELECT date_trunc('month', (x.submitted AT TIME ZONE l.time_zone_id)::date)::date, x.location_id, x.channel, x.seconds,
                           p_sign * count(*)
                    FROM unnest(p_location, p_channel, p_submitted, p_seconds) AS x(location_id, channel, submitted, seconds)
                    JOIN cx.locations l ON l.id = x.location_id
                    WHERE x.seconds IS NOT NULL
                    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
                    ON CONFLICT (month, location_id, channel, seconds) DO UPDATE SET responses = m.responses + excluded.responses;
                $fn$;

                CREATE FUNCTION cx.insight_durations_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM cx.insight_count_durations(array_agg(location_id), array_agg(channel::text), array_agg(submitted_at),
                                                           array_agg(duration_seconds), 1)
                        FROM added WHERE NOT is_partial HAVING count(*) > 0;
                        RETURN NULL;
                    END IF;
                    IF NOT OLD.is_partial THEN
                        PERFORM cx.insight_count_durations(ARRAY[OLD.location_id], ARRAY[OLD.channel::text], ARRAY[OLD.submitted_at],
                                                           ARRAY[OLD.duration_seconds], -1);
                    END IF;
                    IF TG_OP = 'UPDATE' AND NOT NEW.is_partial THEN
                        PERFORM cx.insight_count_durations(ARRAY[NEW.location_id], ARRAY[NEW.channel::text], ARRAY[NEW.submitted_at],
                                                           ARRAY[NEW.duration_seconds], 1);
                    END IF;
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER insight_durations_added AFTER INSERT ON cx.survey_responses
                    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION cx.insight_durations_changed();
                CREATE TRIGGER insight_duration_updated AFTER UPDATE ON cx.survey_responses FOR EACH ROW
                    WHEN ((OLD.location_id, OLD.channel, OLD.submitted_at, OLD.duration_seconds, OLD.is_partial)
                          IS DISTINCT FROM (NEW.location_id, NEW.channel, NEW.submitted_at, NEW.duration_seconds, NEW.is_partial))
                    EXECUTE FUNCTION cx.insight_durations_changed();
                CREATE TRIGGER insight_duration_deleted AFTER DELETE ON cx.survey_responses FOR EACH ROW
                    EXECUTE FUNCTION cx.insight_durations_changed();

                -- Counted afresh, for one location or (NULL) all: when a location's time zone changes its responses fall
                -- in other local months; the benchmark's seed, which loads with triggers off, counts them so too.
                CREATE FUNCTION cx.insight_recount_durations(p_location uuid) RETURNS void
                LANGUAGE sql AS $fn$
                    DELETE FROM cx.insight_duration_months WHERE p_location IS NULL OR location_id = p_location;
                    INSERT INTO cx.insight_duration_months (month, location_id, channel, seconds, responses)
                    SELECT date_trunc('month', (r.submitted_at AT TIME ZONE l.time_zone_id)::date)::date, r.location_id, r.channel,
                           r.duration_seconds, count(*)
                    FROM cx.survey_responses r JOIN cx.locations l ON l.id = r.location_id
                    WHERE NOT r.is_partial AND r.duration_seconds IS NOT NULL AND (p_location IS NULL OR r.location_id = p_location)
                    GROUP BY 1, 2, 3, 4;
                $fn$;
                CREATE FUNCTION cx.insight_durations_zone_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    PERFORM cx.insight_recount_durations(NEW.id);
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER insight_durations_zone AFTER UPDATE OF time_zone_id ON cx.locations FOR EACH ROW
                    WHEN (OLD.time_zone_id IS DISTINCT FROM NEW.time_zone_id) EXECUTE FUNCTION cx.insight_durations_zone_changed();

                SELECT cx.insight_recount_durations(NULL);
                ANALYZE cx.insight_duration_months;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER insight_durations_zone ON cx.locations;
                DROP TRIGGER insight_duration_deleted ON cx.survey_responses;
                DROP TRIGGER insight_duration_updated ON cx.survey_responses;
                DROP TRIGGER insight_durations_added ON cx.survey_responses;
                DROP FUNCTION cx.insight_durations_zone_changed();
                DROP FUNCTION cx.insight_recount_durations(uuid);
                DROP FUNCTION cx.insight_durations_changed();
                DROP FUNCTION cx.insight_count_durations(uuid[], text[], timestamptz[], integer[], integer);
                DROP TABLE cx.insight_duration_months;
                """);
        }
    }
}
