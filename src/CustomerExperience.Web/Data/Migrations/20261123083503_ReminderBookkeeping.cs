using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReminderBookkeeping : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "manage_token_protected",
                schema: "cx",
                table: "appointments",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "rescheduled_at",
                schema: "cx",
                table: "appointments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_appointments_status_start",
                schema: "cx",
                table: "appointments",
                columns: new[] { "status", "start" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_appointments_status_start",
                schema: "cx",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "manage_token_protected",
                schema: "cx",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "rescheduled_at",
                schema: "cx",
                table: "appointments");
        }
    }
}
