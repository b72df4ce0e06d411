using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class InsightsIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_survey_responses_submitted_at",
                schema: "cx",
                table: "survey_responses",
                column: "submitted_at");

            migrationBuilder.CreateIndex(
                name: "ix_outbound_emails_sent_at",
                schema: "cx",
                table: "outbound_emails",
                column: "sent_at",
                filter: "kind = 'recall' AND status = 'Sent'");

            migrationBuilder.CreateIndex(
                name: "ix_appointments_customer_id_service_id_start",
                schema: "cx",
                table: "appointments",
                columns: new[] { "customer_id", "service_id", "start" })
                .Annotation("Npgsql:IndexInclude", new[] { "status", "created_at", "source", "location_id" });

            migrationBuilder.CreateIndex(
                name: "ix_appointments_location_id_completed_at",
                schema: "cx",
                table: "appointments",
                columns: new[] { "location_id", "completed_at" },
                filter: "status = 'Completed'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_survey_responses_submitted_at",
                schema: "cx",
                table: "survey_responses");

            migrationBuilder.DropIndex(
                name: "ix_outbound_emails_sent_at",
                schema: "cx",
                table: "outbound_emails");

            migrationBuilder.DropIndex(
                name: "ix_appointments_customer_id_service_id_start",
                schema: "cx",
                table: "appointments");

            migrationBuilder.DropIndex(
                name: "ix_appointments_location_id_completed_at",
                schema: "cx",
                table: "appointments");
        }
    }
}
