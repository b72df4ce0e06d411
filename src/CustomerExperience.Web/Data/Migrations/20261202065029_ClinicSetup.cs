using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClinicSetup : Migration
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

            migrationBuilder.CreateTable(
                name: "customer_imports",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    encoding = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    headers = table.Column<List<string>>(type: "text[]", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    mapping = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    total_rows = table.Column<int>(type: "integer", nullable: false),
                    rows_done = table.Column<int>(type: "integer", nullable: false),
                    imported = table.Column<int>(type: "integer", nullable: false),
                    updated = table.Column<int>(type: "integer", nullable: false),
                    unchanged = table.Column<int>(type: "integer", nullable: false),
                    rejected = table.Column<int>(type: "integer", nullable: false),
                    uploaded_by_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    uploaded_by_name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failure = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customer_imports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "message_texts",
                schema: "cx",
                columns: table => new
                {
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    body = table.Column<string>(type: "character varying(5000)", maxLength: 5000, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_message_texts", x => x.kind);
                    table.ForeignKey(
                        name: "fk_message_texts_asp_net_users_updated_by_id",
                        column: x => x.updated_by_id,
                        principalSchema: "cx",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "customer_import_chunks",
                schema: "cx",
                columns: table => new
                {
                    import_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    data = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customer_import_chunks", x => new { x.import_id, x.number });
                    table.ForeignKey(
                        name: "fk_customer_import_chunks_customer_imports_import_id",
                        column: x => x.import_id,
                        principalSchema: "cx",
                        principalTable: "customer_imports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "customer_import_rejections",
                schema: "cx",
                columns: table => new
                {
                    import_id = table.Column<Guid>(type: "uuid", nullable: false),
                    row = table.Column<int>(type: "integer", nullable: false),
                    columns = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    reasons = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    values = table.Column<List<string>>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customer_import_rejections", x => new { x.import_id, x.row });
                    table.ForeignKey(
                        name: "fk_customer_import_rejections_customer_imports_import_id",
                        column: x => x.import_id,
                        principalSchema: "cx",
                        principalTable: "customer_imports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "past_visits",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    service_id = table.Column<Guid>(type: "uuid", nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: false),
                    visited_on = table.Column<DateOnly>(type: "date", nullable: false),
                    import_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_past_visits", x => x.id);
                    table.ForeignKey(
                        name: "fk_past_visits_customer_imports_import_id",
                        column: x => x.import_id,
                        principalSchema: "cx",
                        principalTable: "customer_imports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_past_visits_customers_customer_id",
                        column: x => x.customer_id,
                        principalSchema: "cx",
                        principalTable: "customers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_past_visits_locations_location_id",
                        column: x => x.location_id,
                        principalSchema: "cx",
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_past_visits_services_service_id",
                        column: x => x.service_id,
                        principalSchema: "cx",
                        principalTable: "services",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_customer_imports_uploaded_at",
                schema: "cx",
                table: "customer_imports",
                column: "uploaded_at");

            migrationBuilder.CreateIndex(
                name: "ix_message_texts_updated_by_id",
                schema: "cx",
                table: "message_texts",
                column: "updated_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_past_visits_customer_id_service_id",
                schema: "cx",
                table: "past_visits",
                columns: new[] { "customer_id", "service_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_past_visits_import_id",
                schema: "cx",
                table: "past_visits",
                column: "import_id");

            migrationBuilder.CreateIndex(
                name: "ix_past_visits_location_id",
                schema: "cx",
                table: "past_visits",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "ix_past_visits_service_id_visited_on",
                schema: "cx",
                table: "past_visits",
                columns: new[] { "service_id", "visited_on" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "customer_import_chunks",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "customer_import_rejections",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "message_texts",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "past_visits",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "customer_imports",
                schema: "cx");

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
