using CustomerExperience.Web.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <summary>Jobs moved from Quartz to Hangfire (schema hangfire, managed by Hangfire itself): Quartz's tables go.</summary>
    [DbContext(typeof(AppDbContext))]
    [Migration("20261201233000_DropQuartz")]
    public partial class DropQuartz : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                DECLARE quartz_table record;
                BEGIN
                    FOR quartz_table IN
                        SELECT schemaname, tablename FROM pg_tables WHERE tablename LIKE 'qrtz\_%'
                    LOOP
                        EXECUTE format('DROP TABLE IF EXISTS %I.%I CASCADE', quartz_table.schemaname, quartz_table.tablename);
                    END LOOP;
                END $$;
                """);
        }

        // Quartz created its tables itself at start-up; a Quartz build going back would do so again.
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
