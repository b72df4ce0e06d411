using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <summary>
    /// Indexes for the staff customer search (Customers/CustomerSearch), written as SQL because EF's model cannot
    /// describe expression indexes: names ignoring case and accents and emails by trigram, phones by their digits
    /// reversed (a suffix match becomes a prefix match), dates of birth by b-tree.
    /// </summary>
    public partial class CustomerSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE EXTENSION IF NOT EXISTS unaccent;
                -- unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes the fold IMMUTABLE,
                -- as an index expression must be. The SQL-standard body binds unaccent at creation, whatever the search_path later.
                CREATE FUNCTION cx.search_fold(text) RETURNS text
                    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
                    RETURN lower(unaccent('unaccent'::regdictionary, $1));
                CREATE INDEX ix_customers_name_search ON cx.customers
                    USING gin (cx.search_fold(full_name || ' ' || coalesce(preferred_name, '')) gin_trgm_ops);
                CREATE INDEX ix_customers_email_search ON cx.customers USING gin (normalized_email gin_trgm_ops);
                CREATE INDEX ix_customers_phone_digits ON cx.customers
                    (reverse(regexp_replace(phone, '[^0-9]', '', 'g')) text_pattern_ops);
                CREATE INDEX ix_customers_date_of_birth ON cx.customers (date_of_birth);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX cx.ix_customers_date_of_birth;
                DROP INDEX cx.ix_customers_phone_digits;
                DROP INDEX cx.ix_customers_email_search;
                DROP INDEX cx.ix_customers_name_search;
                DROP FUNCTION cx.search_fold(text);
                """);
        }
    }
}
