using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class InsightGoals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "goals",
                schema: "cx");
        }
    }
}
