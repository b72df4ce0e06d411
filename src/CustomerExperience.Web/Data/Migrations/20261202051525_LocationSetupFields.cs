using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class LocationSetupFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                schema: "cx",
                table: "services",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.AddColumn<bool>(
                name: "is_active",
                schema: "cx",
                table: "locations",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "parking_notes",
                schema: "cx",
                table: "locations",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                schema: "cx",
                table: "locations",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "xmin",
                schema: "cx",
                table: "services");

            migrationBuilder.DropColumn(
                name: "is_active",
                schema: "cx",
                table: "locations");

            migrationBuilder.DropColumn(
                name: "parking_notes",
                schema: "cx",
                table: "locations");

            migrationBuilder.DropColumn(
                name: "xmin",
                schema: "cx",
                table: "locations");
        }
    }
}
