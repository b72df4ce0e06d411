using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <summary>
    /// The per-staff survey counts added up by calendar month, kept from cx.insight_staff_days by statement triggers, so
    /// a year of per-staff figures adds up twelve months of cells instead of 365 days of them (InsightsQueries reads the
    /// whole months of a period here and the days around them from the daily table).
    /// </summary>
    public partial class InsightStaffMonths : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE cx.insight_staff_months (
                    month date NOT NULL,
                    location_id uuid NOT NULL REFERENCES cx.locations (id) ON DELETE CASCADE,
                    staff_id text NOT NULL,
                    channel varchar(32) NOT NULL,
                    service_id uuid NOT NULL,
                    question_key varchar(32) NOT NULL,
                    scale varchar(32) NOT NULL,
                    answers integer NOT NULL,
                    top_box integer NOT NULL,
                    detractors integer NOT NULL,
                    PRIMARY KEY (month, location_id, staff_id, channel, service_id, question_key, scale));
                CREATE INDEX ix_insight_staff_months_staff_id_month ON cx.insight_staff_months (staff_id, month);

                -- Adds what a statement changed in the daily cells to their months: the new rows, less the old ones. The
                -- month cells are locked in key order, so two transactions never wait on each other in a circle.
                CREATE FUNCTION cx.insight_staff_days_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    EXECUTE format($sql$
                        INSERT INTO cx.insight_staff_months AS m (month, location_id, staff_id, channel, service_id, question_key, scale,
                                                                  answers, top_box, detractors)
                        SELECT date_trunc('month', c.day)::date, c.location_id, c.staff_id, c.channel, c.service_id, c.question_key, c.scale,
                               sum(c.sign * c.answers), sum(c.sign * c.top_box), sum(c.sign * c.detractors)
                        FROM (%s) c
                        GROUP BY 1, 2, 3, 4, 5, 6, 7
                        HAVING sum(c.sign * c.answers) <> 0 OR sum(c.sign * c.top_box) <> 0 OR sum(c.sign * c.detractors) <> 0
                        ORDER BY 1, 2, 3, 4, 5, 6, 7
                        ON CONFLICT (month, location_id, staff_id, channel, service_id, question_key, scale) DO UPDATE
                        SET answers = m.answers + excluded.answers, top_box = m.top_box + excluded.top_box,
                            detractors = m.detractors + excluded.detractors
                        $sql$, CASE TG_OP
                            WHEN 'INSERT' THEN 'SELECT 1 AS sign, * FROM added'
                            WHEN 'DELETE' THEN 'SELECT -1 AS sign, * FROM removed'
                            ELSE 'SELECT 1 AS sign, * FROM added UNION ALL SELECT -1 AS sign, * FROM removed' END);
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER insight_staff_days_added AFTER INSERT ON cx.insight_staff_days
                    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION cx.insight_staff_days_changed();
                CREATE TRIGGER insight_staff_days_updated AFTER UPDATE ON cx.insight_staff_days
                    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION cx.insight_staff_days_changed();
                CREATE TRIGGER insight_staff_days_removed AFTER DELETE ON cx.insight_staff_days
                    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION cx.insight_staff_days_changed();

                -- Counted afresh (as the benchmark's seed does): the months go with the days.
                CREATE FUNCTION cx.insight_staff_days_truncated() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    TRUNCATE cx.insight_staff_months;
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER insight_staff_days_truncated AFTER TRUNCATE ON cx.insight_staff_days
                    FOR EACH STATEMENT EXECUTE FUNCTION cx.insight_staff_days_truncated();

                INSERT INTO cx.insight_staff_months (month, location_id, staff_id, channel, service_id, question_key, scale, answers, top_box, detractors)
                SELECT date_trunc('month', day)::date, location_id, staff_id, channel, service_id, question_key, scale,
                       sum(answers), sum(top_box), sum(detractors)
                FROM cx.insight_staff_days
                GROUP BY 1, 2, 3, 4, 5, 6, 7;
                ANALYZE cx.insight_staff_months;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER insight_staff_days_truncated ON cx.insight_staff_days;
                DROP TRIGGER insight_staff_days_removed ON cx.insight_staff_days;
                DROP TRIGGER insight_staff_days_updated ON cx.insight_staff_days;
                DROP TRIGGER insight_staff_days_added ON cx.insight_staff_days;
                DROP FUNCTION cx.insight_staff_days_truncated();
                DROP FUNCTION cx.insight_staff_days_changed();
                DROP TABLE cx.insight_staff_months;
                """);
        }
    }
}
