using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "cx");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:btree_gist", ",,");

            migrationBuilder.CreateTable(
                name: "customers",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    full_name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    preferred_name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    pronunciation = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    normalized_email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    phone = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    date_of_birth = table.Column<DateOnly>(type: "date", nullable: true),
                    preferred_time_of_day = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    preferred_location_id = table.Column<Guid>(type: "uuid", nullable: true),
                    email_opt_out = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    xml = table.Column<string>(type: "text", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "locations",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    address_line = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    city = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    region = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    postal_code = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    time_zone_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    phone = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    directions_url = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    arrival_notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_locations", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbound_emails",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    to_address = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    to_name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    subject = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    text_body = table.Column<string>(type: "text", maxLength: 400, nullable: false),
                    html_body = table.Column<string>(type: "text", maxLength: 400, nullable: true),
                    ics = table.Column<string>(type: "text", maxLength: 400, nullable: true),
                    ics_method = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    unsubscribe_url = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    appointment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lease_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbound_emails", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "services",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    slug = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    duration_minutes = table.Column<int>(type: "integer", nullable: false),
                    buffer_minutes = table.Column<int>(type: "integer", nullable: false),
                    coverage_interval_days = table.Column<int>(type: "integer", nullable: true),
                    recall_interval_days = table.Column<int>(type: "integer", nullable: true),
                    reminder_offsets_minutes = table.Column<List<int>>(type: "integer[]", nullable: false),
                    preparation_notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    results_min_business_days = table.Column<int>(type: "integer", nullable: true),
                    results_max_business_days = table.Column<int>(type: "integer", nullable: true),
                    calendar_title = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_services", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "location_closures",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: false),
                    from = table.Column<DateOnly>(type: "date", nullable: false),
                    to = table.Column<DateOnly>(type: "date", nullable: false),
                    reason = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_location_closures", x => x.id);
                    table.ForeignKey(
                        name: "fk_location_closures_locations_location_id",
                        column: x => x.location_id,
                        principalSchema: "cx",
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "resources",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resources", x => x.id);
                    table.ForeignKey(
                        name: "fk_resources_locations_location_id",
                        column: x => x.location_id,
                        principalSchema: "cx",
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "appointments",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: false),
                    service_id = table.Column<Guid>(type: "uuid", nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: false),
                    start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    blocked_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    calendar_sequence = table.Column<int>(type: "integer", nullable: false),
                    manage_token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    checked_in_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancellation_reason = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_appointments", x => x.id);
                    table.ForeignKey(
                        name: "fk_appointments_customers_customer_id",
                        column: x => x.customer_id,
                        principalSchema: "cx",
                        principalTable: "customers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_appointments_locations_location_id",
                        column: x => x.location_id,
                        principalSchema: "cx",
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_appointments_resources_resource_id",
                        column: x => x.resource_id,
                        principalSchema: "cx",
                        principalTable: "resources",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_appointments_services_service_id",
                        column: x => x.service_id,
                        principalSchema: "cx",
                        principalTable: "services",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "resource_closures",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: false),
                    from = table.Column<DateOnly>(type: "date", nullable: false),
                    to = table.Column<DateOnly>(type: "date", nullable: false),
                    reason = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resource_closures", x => x.id);
                    table.ForeignKey(
                        name: "fk_resource_closures_resources_resource_id",
                        column: x => x.resource_id,
                        principalSchema: "cx",
                        principalTable: "resources",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "resource_services",
                schema: "cx",
                columns: table => new
                {
                    resource_id = table.Column<Guid>(type: "uuid", nullable: false),
                    services_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resource_services", x => new { x.resource_id, x.services_id });
                    table.ForeignKey(
                        name: "fk_resource_services_resources_resource_id",
                        column: x => x.resource_id,
                        principalSchema: "cx",
                        principalTable: "resources",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_resource_services_services_services_id",
                        column: x => x.services_id,
                        principalSchema: "cx",
                        principalTable: "services",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "working_hours",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    resource_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    opens = table.Column<TimeOnly>(type: "time without time zone", nullable: false),
                    closes = table.Column<TimeOnly>(type: "time without time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_working_hours", x => x.id);
                    table.ForeignKey(
                        name: "fk_working_hours_resources_resource_id",
                        column: x => x.resource_id,
                        principalSchema: "cx",
                        principalTable: "resources",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_appointments_customer_id_start",
                schema: "cx",
                table: "appointments",
                columns: new[] { "customer_id", "start" });

            migrationBuilder.CreateIndex(
                name: "ix_appointments_location_id_start",
                schema: "cx",
                table: "appointments",
                columns: new[] { "location_id", "start" });

            migrationBuilder.CreateIndex(
                name: "ix_appointments_manage_token_hash",
                schema: "cx",
                table: "appointments",
                column: "manage_token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_appointments_resource_id",
                schema: "cx",
                table: "appointments",
                column: "resource_id");

            migrationBuilder.CreateIndex(
                name: "ix_appointments_service_id",
                schema: "cx",
                table: "appointments",
                column: "service_id");

            migrationBuilder.CreateIndex(
                name: "ix_customers_normalized_email",
                schema: "cx",
                table: "customers",
                column: "normalized_email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_location_closures_location_id",
                schema: "cx",
                table: "location_closures",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "ix_locations_slug",
                schema: "cx",
                table: "locations",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbound_emails_appointment_id",
                schema: "cx",
                table: "outbound_emails",
                column: "appointment_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbound_emails_customer_id",
                schema: "cx",
                table: "outbound_emails",
                column: "customer_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbound_emails_idempotency_key",
                schema: "cx",
                table: "outbound_emails",
                column: "idempotency_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbound_emails_status_next_attempt_at",
                schema: "cx",
                table: "outbound_emails",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ix_resource_closures_resource_id",
                schema: "cx",
                table: "resource_closures",
                column: "resource_id");

            migrationBuilder.CreateIndex(
                name: "ix_resource_services_services_id",
                schema: "cx",
                table: "resource_services",
                column: "services_id");

            migrationBuilder.CreateIndex(
                name: "ix_resources_location_id",
                schema: "cx",
                table: "resources",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "ix_services_slug",
                schema: "cx",
                table: "services",
                column: "slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_working_hours_resource_id",
                schema: "cx",
                table: "working_hours",
                column: "resource_id");

            // No double booking, enforced by Postgres itself: a resource's non-cancelled visits (plus buffer) never overlap.
            migrationBuilder.Sql("""
                ALTER TABLE cx.appointments ADD CONSTRAINT appointments_no_overlap
                EXCLUDE USING gist (resource_id WITH =, tstzrange(start, blocked_until, '[)') WITH &&)
                WHERE (status <> 'Cancelled');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "appointments",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "data_protection_keys",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "location_closures",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "outbound_emails",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "resource_closures",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "resource_services",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "working_hours",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "customers",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "services",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "resources",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "locations",
                schema: "cx");
        }
    }
}
