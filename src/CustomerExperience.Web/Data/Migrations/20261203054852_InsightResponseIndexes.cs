using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class InsightResponseIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_survey_responses_commented_by_location",
                schema: "cx",
                table: "survey_responses",
                columns: new[] { "location_id", "submitted_at", "id" },
                filter: "btrim(coalesce(comment, '')) <> ''")
                .Annotation("Npgsql:IndexInclude", new[] { "channel", "appointment_id" });

            migrationBuilder.CreateIndex(
                name: "ix_survey_responses_complete_by_location",
                schema: "cx",
                table: "survey_responses",
                columns: new[] { "location_id", "submitted_at" },
                filter: "NOT is_partial")
                .Annotation("Npgsql:IndexInclude", new[] { "duration_seconds", "channel", "appointment_id" });

            migrationBuilder.CreateIndex(
                name: "ix_survey_responses_commented",
                schema: "cx",
                table: "survey_responses",
                columns: new[] { "submitted_at", "id" },
                filter: "btrim(coalesce(comment, '')) <> ''")
                .Annotation("Npgsql:IndexInclude", new[] { "location_id", "channel", "appointment_id" });

            migrationBuilder.CreateIndex(
                name: "ix_survey_responses_complete",
                schema: "cx",
                table: "survey_responses",
                column: "submitted_at",
                filter: "NOT is_partial")
                .Annotation("Npgsql:IndexInclude", new[] { "location_id", "duration_seconds", "channel", "appointment_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_survey_responses_commented_by_location",
                schema: "cx",
                table: "survey_responses");

            migrationBuilder.DropIndex(
                name: "ix_survey_responses_complete_by_location",
                schema: "cx",
                table: "survey_responses");

            migrationBuilder.DropIndex(
                name: "ix_survey_responses_commented",
                schema: "cx",
                table: "survey_responses");

            migrationBuilder.DropIndex(
                name: "ix_survey_responses_complete",
                schema: "cx",
                table: "survey_responses");
        }
    }
}
