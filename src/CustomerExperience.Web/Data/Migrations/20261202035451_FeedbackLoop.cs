using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace CustomerExperience.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class FeedbackLoop : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "service_recovery_manager_id",
                schema: "cx",
                table: "locations",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "checked_in_by_id",
                schema: "cx",
                table: "appointments",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "performed_by_id",
                schema: "cx",
                table: "appointments",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "visit_code",
                schema: "cx",
                table: "appointments",
                type: "character varying(6)",
                maxLength: 6,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "goals",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    metric = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    question_key = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    location_id = table.Column<Guid>(type: "uuid", nullable: true),
                    staff_user_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    target = table.Column<decimal>(type: "numeric(5,1)", precision: 5, scale: 1, nullable: false),
                    from = table.Column<DateOnly>(type: "date", nullable: false),
                    to = table.Column<DateOnly>(type: "date", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_goals", x => x.id);
                    table.CheckConstraint("goals_one_scope", "location_id IS NULL OR staff_user_id IS NULL");
                    table.CheckConstraint("goals_period", "\"from\" <= \"to\"");
                    table.CheckConstraint("goals_question", "(metric = 'QuestionTopBox') = (question_key IS NOT NULL)");
                    table.ForeignKey(
                        name: "fk_goals_asp_net_users_created_by_id",
                        column: x => x.created_by_id,
                        principalSchema: "cx",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_goals_asp_net_users_staff_user_id",
                        column: x => x.staff_user_id,
                        principalSchema: "cx",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_goals_locations_location_id",
                        column: x => x.location_id,
                        principalSchema: "cx",
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "kiosks",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    token_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    enrolled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    enrolled_by_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_by_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_kiosks", x => x.id);
                    table.ForeignKey(
                        name: "fk_kiosks_asp_net_users_enrolled_by_id",
                        column: x => x.enrolled_by_id,
                        principalSchema: "cx",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_kiosks_asp_net_users_revoked_by_id",
                        column: x => x.revoked_by_id,
                        principalSchema: "cx",
                        principalTable: "staff_users",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_kiosks_locations_location_id",
                        column: x => x.location_id,
                        principalSchema: "cx",
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "staff_locations",
                schema: "cx",
                columns: table => new
                {
                    staff_user_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_locations", x => new { x.staff_user_id, x.location_id });
                    table.ForeignKey(
                        name: "fk_staff_locations_locations_location_id",
                        column: x => x.location_id,
                        principalSchema: "cx",
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_staff_locations_users_staff_user_id",
                        column: x => x.staff_user_id,
                        principalSchema: "cx",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "survey_definitions",
                schema: "cx",
                columns: table => new
                {
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_survey_definitions", x => x.version);
                });

            migrationBuilder.CreateTable(
                name: "survey_questions",
                schema: "cx",
                columns: table => new
                {
                    definition_version = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    text = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    scale = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_survey_questions", x => new { x.definition_version, x.key });
                    table.ForeignKey(
                        name: "fk_survey_questions_survey_definitions_definition_version",
                        column: x => x.definition_version,
                        principalSchema: "cx",
                        principalTable: "survey_definitions",
                        principalColumn: "version",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "survey_responses",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    definition_version = table.Column<int>(type: "integer", nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    location_id = table.Column<Guid>(type: "uuid", nullable: false),
                    appointment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    kiosk_id = table.Column<Guid>(type: "uuid", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    duration_seconds = table.Column<int>(type: "integer", nullable: true),
                    is_partial = table.Column<bool>(type: "boolean", nullable: false),
                    comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    contact_requested = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_survey_responses", x => x.id);
                    table.ForeignKey(
                        name: "fk_survey_responses_appointments_appointment_id",
                        column: x => x.appointment_id,
                        principalSchema: "cx",
                        principalTable: "appointments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_survey_responses_customers_customer_id",
                        column: x => x.customer_id,
                        principalSchema: "cx",
                        principalTable: "customers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_survey_responses_kiosks_kiosk_id",
                        column: x => x.kiosk_id,
                        principalSchema: "cx",
                        principalTable: "kiosks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_survey_responses_locations_location_id",
                        column: x => x.location_id,
                        principalSchema: "cx",
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_survey_responses_survey_definitions_definition_version",
                        column: x => x.definition_version,
                        principalSchema: "cx",
                        principalTable: "survey_definitions",
                        principalColumn: "version",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "recovery_cases",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    response_id = table.Column<Guid>(type: "uuid", nullable: true),
                    location_id = table.Column<Guid>(type: "uuid", nullable: false),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    appointment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    summary = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    clinical = table.Column<bool>(type: "boolean", nullable: false),
                    owner_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    opened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    opened_by_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    heard = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    first_contact_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    resolved_by_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    root_cause = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    outcome = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    escalated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recovery_cases", x => x.id);
                    table.ForeignKey(
                        name: "fk_recovery_cases_appointments_appointment_id",
                        column: x => x.appointment_id,
                        principalSchema: "cx",
                        principalTable: "appointments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_recovery_cases_asp_net_users_owner_id",
                        column: x => x.owner_id,
                        principalSchema: "cx",
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_recovery_cases_customers_customer_id",
                        column: x => x.customer_id,
                        principalSchema: "cx",
                        principalTable: "customers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_recovery_cases_locations_location_id",
                        column: x => x.location_id,
                        principalSchema: "cx",
                        principalTable: "locations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_recovery_cases_survey_responses_response_id",
                        column: x => x.response_id,
                        principalSchema: "cx",
                        principalTable: "survey_responses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "survey_answers",
                schema: "cx",
                columns: table => new
                {
                    response_id = table.Column<Guid>(type: "uuid", nullable: false),
                    question_key = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    score = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_survey_answers", x => new { x.response_id, x.question_key });
                    table.CheckConstraint("survey_answers_score_range", "score BETWEEN 0 AND 10");
                    table.ForeignKey(
                        name: "fk_survey_answers_survey_responses_response_id",
                        column: x => x.response_id,
                        principalSchema: "cx",
                        principalTable: "survey_responses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "recovery_case_notes",
                schema: "cx",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    case_id = table.Column<Guid>(type: "uuid", nullable: false),
                    text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    author_id = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    author_name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recovery_case_notes", x => x.id);
                    table.ForeignKey(
                        name: "fk_recovery_case_notes_recovery_cases_case_id",
                        column: x => x.case_id,
                        principalSchema: "cx",
                        principalTable: "recovery_cases",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                schema: "cx",
                table: "staff_roles",
                columns: new[] { "id", "concurrency_stamp", "name", "normalized_name" },
                values: new object[] { "clinician", "clinician", "Clinician", "CLINICIAN" });

            migrationBuilder.InsertData(
                schema: "cx",
                table: "survey_definitions",
                columns: new[] { "version", "created_at", "created_by_id" },
                values: new object[] { 1, new DateTimeOffset(new DateTime(2026, 12, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null });

            migrationBuilder.InsertData(
                schema: "cx",
                table: "survey_questions",
                columns: new[] { "definition_version", "key", "position", "scale", "text" },
                values: new object[,]
                {
                    { 1, "booking", 1, "Labelled5", "How easy was it to book your visit?" },
                    { 1, "comfort", 6, "Labelled5", "How well were your comfort, privacy and dignity respected?" },
                    { 1, "explained", 5, "Labelled5", "How well did our staff explain each step?" },
                    { 1, "recommend", 7, "Recommend10", "How likely are you to recommend us to a friend or family member?" },
                    { 1, "reminders", 2, "Labelled5", "How helpful were our reminders and directions?" },
                    { 1, "wait", 4, "Labelled5", "How was the wait, and how well was it explained?" },
                    { 1, "welcome", 3, "Labelled5", "How were you welcomed when you arrived?" }
                });

            migrationBuilder.CreateIndex(
                name: "ix_locations_service_recovery_manager_id",
                schema: "cx",
                table: "locations",
                column: "service_recovery_manager_id");

            migrationBuilder.CreateIndex(
                name: "ix_appointments_checked_in_by_id",
                schema: "cx",
                table: "appointments",
                column: "checked_in_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_appointments_location_id_visit_code",
                schema: "cx",
                table: "appointments",
                columns: new[] { "location_id", "visit_code" },
                filter: "visit_code IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_appointments_performed_by_id",
                schema: "cx",
                table: "appointments",
                column: "performed_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_goals_created_by_id",
                schema: "cx",
                table: "goals",
                column: "created_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_goals_location_id",
                schema: "cx",
                table: "goals",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "ix_goals_staff_user_id",
                schema: "cx",
                table: "goals",
                column: "staff_user_id");

            migrationBuilder.CreateIndex(
                name: "ix_goals_to_from",
                schema: "cx",
                table: "goals",
                columns: new[] { "to", "from" });

            migrationBuilder.CreateIndex(
                name: "ix_kiosks_enrolled_by_id",
                schema: "cx",
                table: "kiosks",
                column: "enrolled_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_kiosks_location_id",
                schema: "cx",
                table: "kiosks",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "ix_kiosks_revoked_by_id",
                schema: "cx",
                table: "kiosks",
                column: "revoked_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_kiosks_token_hash",
                schema: "cx",
                table: "kiosks",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_recovery_case_notes_case_id_at",
                schema: "cx",
                table: "recovery_case_notes",
                columns: new[] { "case_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_recovery_cases_appointment_id",
                schema: "cx",
                table: "recovery_cases",
                column: "appointment_id");

            migrationBuilder.CreateIndex(
                name: "ix_recovery_cases_customer_id_opened_at",
                schema: "cx",
                table: "recovery_cases",
                columns: new[] { "customer_id", "opened_at" });

            migrationBuilder.CreateIndex(
                name: "ix_recovery_cases_location_id_opened_at",
                schema: "cx",
                table: "recovery_cases",
                columns: new[] { "location_id", "opened_at" });

            migrationBuilder.CreateIndex(
                name: "ix_recovery_cases_number",
                schema: "cx",
                table: "recovery_cases",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_recovery_cases_owner_id",
                schema: "cx",
                table: "recovery_cases",
                column: "owner_id");

            migrationBuilder.CreateIndex(
                name: "ix_recovery_cases_response_id",
                schema: "cx",
                table: "recovery_cases",
                column: "response_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_recovery_cases_status_due_at",
                schema: "cx",
                table: "recovery_cases",
                columns: new[] { "status", "due_at" });

            migrationBuilder.CreateIndex(
                name: "ix_staff_locations_location_id",
                schema: "cx",
                table: "staff_locations",
                column: "location_id");

            migrationBuilder.CreateIndex(
                name: "ix_survey_responses_appointment_id",
                schema: "cx",
                table: "survey_responses",
                column: "appointment_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_survey_responses_customer_id_submitted_at",
                schema: "cx",
                table: "survey_responses",
                columns: new[] { "customer_id", "submitted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_survey_responses_definition_version",
                schema: "cx",
                table: "survey_responses",
                column: "definition_version");

            migrationBuilder.CreateIndex(
                name: "ix_survey_responses_kiosk_id",
                schema: "cx",
                table: "survey_responses",
                column: "kiosk_id");

            migrationBuilder.CreateIndex(
                name: "ix_survey_responses_location_id_submitted_at",
                schema: "cx",
                table: "survey_responses",
                columns: new[] { "location_id", "submitted_at" });

            migrationBuilder.AddForeignKey(
                name: "fk_appointments_asp_net_users_checked_in_by_id",
                schema: "cx",
                table: "appointments",
                column: "checked_in_by_id",
                principalSchema: "cx",
                principalTable: "staff_users",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "fk_appointments_asp_net_users_performed_by_id",
                schema: "cx",
                table: "appointments",
                column: "performed_by_id",
                principalSchema: "cx",
                principalTable: "staff_users",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "fk_locations_asp_net_users_service_recovery_manager_id",
                schema: "cx",
                table: "locations",
                column: "service_recovery_manager_id",
                principalSchema: "cx",
                principalTable: "staff_users",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_appointments_asp_net_users_checked_in_by_id",
                schema: "cx",
                table: "appointments");

            migrationBuilder.DropForeignKey(
                name: "fk_appointments_asp_net_users_performed_by_id",
                schema: "cx",
                table: "appointments");

            migrationBuilder.DropForeignKey(
                name: "fk_locations_asp_net_users_service_recovery_manager_id",
                schema: "cx",
                table: "locations");

            migrationBuilder.DropTable(
                name: "goals",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "recovery_case_notes",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "staff_locations",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "survey_answers",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "survey_questions",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "recovery_cases",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "survey_responses",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "kiosks",
                schema: "cx");

            migrationBuilder.DropTable(
                name: "survey_definitions",
                schema: "cx");

            migrationBuilder.DropIndex(
                name: "ix_locations_service_recovery_manager_id",
                schema: "cx",
                table: "locations");

            migrationBuilder.DropIndex(
                name: "ix_appointments_checked_in_by_id",
                schema: "cx",
                table: "appointments");

            migrationBuilder.DropIndex(
                name: "ix_appointments_location_id_visit_code",
                schema: "cx",
                table: "appointments");

            migrationBuilder.DropIndex(
                name: "ix_appointments_performed_by_id",
                schema: "cx",
                table: "appointments");

            migrationBuilder.DeleteData(
                schema: "cx",
                table: "staff_roles",
                keyColumn: "id",
                keyValue: "clinician");

            migrationBuilder.DropColumn(
                name: "service_recovery_manager_id",
                schema: "cx",
                table: "locations");

            migrationBuilder.DropColumn(
                name: "checked_in_by_id",
                schema: "cx",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "performed_by_id",
                schema: "cx",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "visit_code",
                schema: "cx",
                table: "appointments");
        }
    }
}
