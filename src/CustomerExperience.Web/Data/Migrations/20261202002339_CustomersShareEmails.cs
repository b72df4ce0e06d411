using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CustomersShareEmails : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_customers_normalized_email",
                schema: "cx",
                table: "customers");

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                schema: "cx",
                table: "customers",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.CreateIndex(
                name: "ix_customers_normalized_email",
                schema: "cx",
                table: "customers",
                column: "normalized_email");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_customers_normalized_email",
                schema: "cx",
                table: "customers");

            migrationBuilder.DropColumn(
                name: "xmin",
                schema: "cx",
                table: "customers");

            migrationBuilder.CreateIndex(
                name: "ix_customers_normalized_email",
                schema: "cx",
                table: "customers",
                column: "normalized_email",
                unique: true);
        }
    }
}
