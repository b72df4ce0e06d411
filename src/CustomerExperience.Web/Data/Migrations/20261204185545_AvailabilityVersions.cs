using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CustomerExperience.Web.Data.Migrations
{
    /// <summary>
    /// Versions of what availability is computed from, per location, so every app instance can keep free slots in memory
    /// and know with one indexed read whether they still hold (SlotCache). Triggers count every committed change:
    /// <c>setup</c> for the location, its rooms, their services, hours and closures, and the services themselves;
    /// <c>bookings</c> for visits placed, moved, cancelled or removed there. Each counter only ever grows, so a copy
    /// computed after reading the sums is at least as new as the sums it is labelled with.
    /// </summary>
    public partial class AvailabilityVersions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- A location's version is the sum over its shards. Writers bump the shard of their own backend, so sixteen
                -- bookings committing at once at one location rarely queue on one row; readers sum at most sixteen rows.
                -- No foreign key: a visit's trigger may run at commit after its location was deleted in the same transaction.
                CREATE TABLE cx.availability_versions (
                    location_id uuid NOT NULL,
                    shard smallint NOT NULL,
                    setup bigint NOT NULL DEFAULT 0,
                    bookings bigint NOT NULL DEFAULT 0,
                    -- The transactions that last bumped each counter: a transaction bumps a counter once, however many rows
                    -- it writes (an import of thousands of visits, a page saving a room's hours).
                    setup_by xid8,
                    bookings_by xid8,
                    PRIMARY KEY (location_id, shard));

                -- (PL/pgSQL keeps the statement's plan for the session; a SQL function would plan it on every call.)
                CREATE FUNCTION cx.availability_bump(p_locations uuid[], p_setup boolean) RETURNS void
                LANGUAGE plpgsql AS $fn$
                BEGIN
                    INSERT INTO cx.availability_versions AS v (location_id, shard, setup, bookings, setup_by, bookings_by)
                    SELECT DISTINCT l, (pg_backend_pid() % 16)::smallint, CASE WHEN p_setup THEN 1 ELSE 0 END, CASE WHEN p_setup THEN 0 ELSE 1 END,
                           CASE WHEN p_setup THEN pg_current_xact_id() END, CASE WHEN p_setup THEN NULL ELSE pg_current_xact_id() END
                    FROM unnest(p_locations) l WHERE l IS NOT NULL ORDER BY 1
                    ON CONFLICT (location_id, shard) DO UPDATE
                    SET setup = v.setup + excluded.setup, setup_by = coalesce(excluded.setup_by, v.setup_by),
                        bookings = v.bookings + excluded.bookings, bookings_by = coalesce(excluded.bookings_by, v.bookings_by)
                    WHERE CASE WHEN p_setup THEN v.setup_by IS DISTINCT FROM excluded.setup_by
                               ELSE v.bookings_by IS DISTINCT FROM excluded.bookings_by END;
                END $fn$;

                -- Visits: at commit (a deferred constraint trigger), so the shard row is locked only while the transaction
                -- commits, not while a booking goes on to write its token and email.
                CREATE FUNCTION cx.availability_visit_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        PERFORM cx.availability_bump(ARRAY[NEW.location_id], false);
                    ELSIF TG_OP = 'DELETE' THEN
                        PERFORM cx.availability_bump(ARRAY[OLD.location_id], false);
                    ELSE
                        PERFORM cx.availability_bump(ARRAY[OLD.location_id, NEW.location_id], false);
                    END IF;
                    RETURN NULL;
                END $fn$;
                CREATE CONSTRAINT TRIGGER availability_visit_written AFTER INSERT OR DELETE ON cx.appointments
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cx.availability_visit_changed();
                CREATE CONSTRAINT TRIGGER availability_visit_moved AFTER UPDATE ON cx.appointments
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                    WHEN ((OLD.location_id, OLD.resource_id, OLD.start, OLD.blocked_until, OLD.status = 'Cancelled')
                          IS DISTINCT FROM (NEW.location_id, NEW.resource_id, NEW.start, NEW.blocked_until, NEW.status = 'Cancelled'))
                    EXECUTE FUNCTION cx.availability_visit_changed();

                -- Set-up: at once (it changes rarely, and the page that changes it holds the location's row anyway).
                CREATE FUNCTION cx.availability_setup_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
                DECLARE
                    old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
                    new_row jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
                    locations uuid[];
                BEGIN
                    locations := CASE TG_TABLE_NAME
                        WHEN 'locations' THEN ARRAY[(coalesce(new_row, old_row) ->> 'id')::uuid]
                        WHEN 'location_closures' THEN ARRAY[(old_row ->> 'location_id')::uuid, (new_row ->> 'location_id')::uuid]
                        WHEN 'resources' THEN ARRAY[(old_row ->> 'location_id')::uuid, (new_row ->> 'location_id')::uuid]
                        WHEN 'services' THEN ARRAY(SELECT id FROM cx.locations)
                        ELSE ARRAY(SELECT r.location_id FROM cx.resources r
                                   WHERE r.id IN ((old_row ->> 'resource_id')::uuid, (new_row ->> 'resource_id')::uuid))
                    END;
                    PERFORM cx.availability_bump(locations, true);
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER availability_setup_changed AFTER INSERT OR UPDATE OR DELETE ON cx.locations
                    FOR EACH ROW EXECUTE FUNCTION cx.availability_setup_changed();
                CREATE TRIGGER availability_setup_changed AFTER INSERT OR UPDATE OR DELETE ON cx.location_closures
                    FOR EACH ROW EXECUTE FUNCTION cx.availability_setup_changed();
                CREATE TRIGGER availability_setup_changed AFTER INSERT OR UPDATE OR DELETE ON cx.resources
                    FOR EACH ROW EXECUTE FUNCTION cx.availability_setup_changed();
                CREATE TRIGGER availability_setup_changed AFTER INSERT OR UPDATE OR DELETE ON cx.resource_services
                    FOR EACH ROW EXECUTE FUNCTION cx.availability_setup_changed();
                CREATE TRIGGER availability_setup_changed AFTER INSERT OR UPDATE OR DELETE ON cx.working_hours
                    FOR EACH ROW EXECUTE FUNCTION cx.availability_setup_changed();
                CREATE TRIGGER availability_setup_changed AFTER INSERT OR UPDATE OR DELETE ON cx.resource_closures
                    FOR EACH ROW EXECUTE FUNCTION cx.availability_setup_changed();
                CREATE TRIGGER availability_setup_changed AFTER INSERT OR UPDATE OR DELETE ON cx.services
                    FOR EACH ROW EXECUTE FUNCTION cx.availability_setup_changed();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER availability_setup_changed ON cx.services;
                DROP TRIGGER availability_setup_changed ON cx.resource_closures;
                DROP TRIGGER availability_setup_changed ON cx.working_hours;
                DROP TRIGGER availability_setup_changed ON cx.resource_services;
                DROP TRIGGER availability_setup_changed ON cx.resources;
                DROP TRIGGER availability_setup_changed ON cx.location_closures;
                DROP TRIGGER availability_setup_changed ON cx.locations;
                DROP TRIGGER availability_visit_moved ON cx.appointments;
                DROP TRIGGER availability_visit_written ON cx.appointments;
                DROP FUNCTION cx.availability_setup_changed();
                DROP FUNCTION cx.availability_visit_changed();
                DROP FUNCTION cx.availability_bump(uuid[], boolean);
                DROP TABLE cx.availability_versions;
                """);
        }
    }
}
