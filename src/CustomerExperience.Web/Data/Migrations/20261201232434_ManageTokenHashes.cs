using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ManageTokenHashes : Migration
    {
        /// <summary>
        /// Every manage link of a visit is kept as a hash in appointment_manage_tokens (each email gets a fresh one).
        /// The hashes already stored move there, so links in emails sent before still open; the encrypted copies,
        /// which sat next to the key that decrypts them, are dropped. A sent email's stored copy forgets its manage
        /// links (the trigger below, and once for what was sent before).
        /// </summary>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "appointment_manage_tokens",
                schema: "cx",
                columns: table => new
                {
                    hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    appointment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_appointment_manage_tokens", x => x.hash);
                    table.ForeignKey(
                        name: "fk_appointment_manage_tokens_appointments_appointment_id",
                        column: x => x.appointment_id,
                        principalSchema: "cx",
                        principalTable: "appointments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_appointment_manage_tokens_appointment_id",
                schema: "cx",
                table: "appointment_manage_tokens",
                column: "appointment_id");

            migrationBuilder.Sql("""
                INSERT INTO cx.appointment_manage_tokens (hash, appointment_id, created_at)
                SELECT manage_token_hash, id, created_at FROM cx.appointments;
                """);

            migrationBuilder.DropIndex(
                name: "ix_appointments_manage_token_hash",
                schema: "cx",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "manage_token_hash",
                schema: "cx",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "manage_token_protected",
                schema: "cx",
                table: "appointments");

            migrationBuilder.Sql("""
                CREATE FUNCTION cx.without_manage_links(body text) RETURNS text
                LANGUAGE sql IMMUTABLE RETURN regexp_replace(body, '/manage/[A-Za-z0-9_-]{43}', '/manage/removed-after-sending', 'g');

                -- The invite is unfolded first: a folded line can split a token.
                CREATE FUNCTION cx.outbound_emails_forget_manage_links() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.text_body := cx.without_manage_links(NEW.text_body);
                    NEW.html_body := cx.without_manage_links(NEW.html_body);
                    NEW.ics := cx.without_manage_links(regexp_replace(NEW.ics, E'\r\n[ \t]', '', 'g'));
                    RETURN NEW;
                END $$;

                CREATE TRIGGER forget_manage_links_once_sent BEFORE UPDATE OF status ON cx.outbound_emails
                FOR EACH ROW WHEN (NEW.status = 'Sent' AND OLD.status IS DISTINCT FROM 'Sent')
                EXECUTE FUNCTION cx.outbound_emails_forget_manage_links();

                UPDATE cx.outbound_emails
                SET text_body = cx.without_manage_links(text_body),
                    html_body = cx.without_manage_links(html_body),
                    ics = cx.without_manage_links(regexp_replace(ics, E'\r\n[ \t]', '', 'g'))
                WHERE status = 'Sent';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER forget_manage_links_once_sent ON cx.outbound_emails;
                DROP FUNCTION cx.outbound_emails_forget_manage_links();
                DROP FUNCTION cx.without_manage_links(text);
                """);

            migrationBuilder.AddColumn<byte[]>(
                name: "manage_token_hash",
                schema: "cx",
                table: "appointments",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "manage_token_protected",
                schema: "cx",
                table: "appointments",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            // One hash per visit fits the old shape: the newest, the link the customer saw last. A visit without any
            // gets an unguessable value that no link has.
            migrationBuilder.Sql("""
                UPDATE cx.appointments a
                SET manage_token_hash = COALESCE(
                    (SELECT t.hash FROM cx.appointment_manage_tokens t WHERE t.appointment_id = a.id ORDER BY t.created_at DESC LIMIT 1),
                    decode(md5(random()::text || a.id::text), 'hex'));
                ALTER TABLE cx.appointments ALTER COLUMN manage_token_hash SET NOT NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_appointments_manage_token_hash",
                schema: "cx",
                table: "appointments",
                column: "manage_token_hash",
                unique: true);

            migrationBuilder.DropTable(
                name: "appointment_manage_tokens",
                schema: "cx");
        }
    }
}
