using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace CustomerExperience.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class FrontDesk : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "preferences",
                schema: "cx",
                table: "customers",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "audit_entries",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    staff_user_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    staff_name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    appointment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    details = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "customer_notes",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    created_by = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_by_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    updated_by = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customer_notes", x => x.id);
                    table.ForeignKey(
                        name: "fk_customer_notes_customers_customer_id",
                        column: x => x.customer_id,
                        principalSchema: "cx",
                        principalTable: "customers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "delays",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: true),
                    minutes = table.Column<int>(type: "integer", nullable: false),
                    message = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    posted_by_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    posted_by = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    posted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cleared_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cleared_by = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delays", x => x.id);
                    table.ForeignKey(
                        name: "fk_delays_locations_location_id",
                        column: x => x.location_id,
                        principalSchema: "cx",
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_delays_resources_resource_id",
                        column: x => x.resource_id,
                        principalSchema: "cx",
                        principalTable: "resources",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "staff_roles",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    concurrency_stamp = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_roles", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "staff_users",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    disabled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    normalized_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    email_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    password_hash = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    security_stamp = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    concurrency_stamp = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    phone_number = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    phone_number_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                    two_factor_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    lockout_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lockout_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    access_failed_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "delay_notices",
                schema: "cx",
                columns: table => new
                {
                    delay_id = table.Column<Guid>(type: "uuid", nullable: false),
                    appointment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    minutes = table.Column<int>(type: "integer", nullable: false),
                    notified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_delay_notices", x => new { x.delay_id, x.appointment_id });
                    table.ForeignKey(
                        name: "fk_delay_notices_delays_delay_id",
                        column: x => x.delay_id,
                        principalSchema: "cx",
                        principalTable: "delays",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "staff_role_claims",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    role_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    claim_type = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    claim_value = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_role_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_staff_role_claims_staff_roles_role_id",
                        column: x => x.role_id,
                        principalSchema: "cx",
                        principalTable: "staff_roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "staff_user_claims",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    claim_type = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    claim_value = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_user_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_staff_user_claims_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "cx",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "staff_user_logins",
                schema: "cx",
                columns: table => new
                {
                    login_provider = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    provider_key = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    provider_display_name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    user_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_user_logins", x => new { x.login_provider, x.provider_key });
                    table.ForeignKey(
                        name: "fk_staff_user_logins_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "cx",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "staff_user_roles",
                schema: "cx",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    role_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_user_roles", x => new { x.user_id, x.role_id });
                    table.ForeignKey(
                        name: "fk_staff_user_roles_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "cx",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_staff_user_roles_staff_roles_role_id",
                        column: x => x.role_id,
                        principalSchema: "cx",
                        principalTable: "staff_roles",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "staff_user_tokens",
                schema: "cx",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    login_provider = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    value = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                    table.ForeignKey(
                        name: "fk_staff_user_tokens_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalSchema: "cx",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                schema: "cx",
                table: "staff_roles",
                columns: new[] { "id", "concurrency_stamp", "name", "normalized_name" },
                values: new object[,]
                {
                    { "admin", "admin", "Admin", "ADMIN" },
                    { "frontdesk", "frontdesk", "FrontDesk", "FRONTDESK" },
                    { "manager", "manager", "Manager", "MANAGER" }
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbound_emails_created_at",
                schema: "cx",
                table: "outbound_emails",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_appointment_id_at",
                schema: "cx",
                table: "audit_entries",
                columns: new[] { "appointment_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_customer_id_at",
                schema: "cx",
                table: "audit_entries",
                columns: new[] { "customer_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_customer_notes_customer_id_created_at",
                schema: "cx",
                table: "customer_notes",
                columns: new[] { "customer_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_delays_location_id_resource_id",
                schema: "cx",
                table: "delays",
                columns: new[] { "location_id", "resource_id" },
                unique: true,
                filter: "cleared_at IS NULL")
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "ix_delays_resource_id",
                schema: "cx",
                table: "delays",
                column: "resource_id");

            migrationBuilder.CreateIndex(
                name: "ix_staff_role_claims_role_id",
                schema: "cx",
                table: "staff_role_claims",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                schema: "cx",
                table: "staff_roles",
                column: "normalized_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_staff_user_claims_user_id",
                schema: "cx",
                table: "staff_user_claims",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_staff_user_logins_user_id",
                schema: "cx",
                table: "staff_user_logins",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_staff_user_roles_role_id",
                schema: "cx",
                table: "staff_user_roles",
                column: "role_id");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                schema: "cx",
                table: "staff_users",
                column: "normalized_email");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                schema: "cx",
                table: "staff_users",
                column: "normalized_user_name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_entries",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "customer_notes",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "delay_notices",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "staff_role_claims",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "staff_user_claims",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "staff_user_logins",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "staff_user_roles",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "staff_user_tokens",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "delays",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "staff_roles",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "staff_users",
                schema: "cx");

            migrationBuilder.DropIndex(
                name: "ix_outbound_emails_created_at",
                schema: "cx",
                table: "outbound_emails");

            migrationBuilder.DropColumn(
                name: "preferences",
                schema: "cx",
                table: "customers");
        }
    }
}
