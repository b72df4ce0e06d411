using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AppointmentsByResourceAndBlockedUntil : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_appointments_resource_id",
                schema: "cx",
                table: "appointments");

            migrationBuilder.CreateIndex(
                name: "ix_appointments_resource_id_blocked_until",
                schema: "cx",
                table: "appointments",
                columns: new[] { "resource_id", "blocked_until" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_appointments_resource_id_blocked_until",
                schema: "cx",
                table: "appointments");

            migrationBuilder.CreateIndex(
                name: "ix_appointments_resource_id",
                schema: "cx",
                table: "appointments",
                column: "resource_id");
        }
    }
}
