using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;

namespace CustomerExperience.Web.Scheduling;

/// <summary>What a location's availability is computed from, as committed: grows with every change (cx.availability_versions).</summary>
public readonly record struct AvailabilityVersion(long Setup, long Bookings);

/// <summary>
/// One local day's free slots of a service at a location, whatever the time now (the reader leaves out what is too soon),
/// with the slots as the API writes them: <c>{"start":…,"end":…}</c> objects, rendered once when first asked for.
/// </summary>
public sealed class DaySlots(DateOnly day, IReadOnlyList<Slot> slots)
{
    private Rendered? rendered;

    public DateOnly Day { get; } = day;
    public IReadOnlyList<Slot> Slots { get; } = slots;

    /// <summary>The index of the first slot starting at or after <paramref name="earliest"/> (slots are in time order).</summary>
    public int FirstFrom(DateTimeOffset earliest)
    {
        int low = 0, high = Slots.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (Slots[mid].Start < earliest) low = mid + 1; else high = mid;
        }
        return low;
    }

    /// <summary>The JSON of the slots from <paramref name="index"/> on, comma-separated, as the serializer would write them.</summary>
    public ReadOnlyMemory<byte> JsonFrom(int index)
    {
        var json = rendered ??= Render(); // two threads may both render: the same bytes, and either copy is kept
        return index >= Slots.Count ? ReadOnlyMemory<byte>.Empty : json.Bytes.AsMemory(json.Offsets[index]);
    }

    private sealed record Rendered(byte[] Bytes, int[] Offsets);

    private Rendered Render()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(Slots.Count * 64 + 2);
        var offsets = new int[Slots.Count];
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < Slots.Count; i++)
            {
                // Where this object starts, less the '[' before the first: the writer puts a comma before every later one.
                offsets[i] = (int)(writer.BytesCommitted + writer.BytesPending) - 1 + (i > 0 ? 1 : 0);
                writer.WriteStartObject();
                writer.WriteString("start"u8, Slots[i].Start);
                writer.WriteString("end"u8, Slots[i].End);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        return new Rendered(buffer.WrittenSpan[1..^1].ToArray(), offsets);
    }
}

/// <summary>
/// Free slots per service, location and local day, and the set-up they come from, kept in this instance's memory and
/// labelled with the <see cref="AvailabilityVersion"/> they were computed at. A reader first reads the location's version
/// (one indexed row sum) and uses a copy only when its label equals it, so a booking, move, cancellation, closure or change
/// of hours committed on any instance shows in the next response everywhere; the exclusion constraint still decides.
/// </summary>
public sealed class SlotCache : IDisposable
{
    /// <summary>Copies unused for this long are dropped; the whole cache holds at most about 64 MB.</summary>
    private static readonly TimeSpan Unused = TimeSpan.FromMinutes(10);

    private readonly MemoryCache memory = new(new MemoryCacheOptions { SizeLimit = 64 << 20 });

    public bool TryGetSetup(Guid serviceId, Guid locationId, long version, out AvailabilityService.Setup? setup)
    {
        if (memory.TryGetValue((serviceId, locationId), out (long Version, AvailabilityService.Setup? Setup) entry) && entry.Version == version)
        {
            setup = entry.Setup;
            return true;
        }
        setup = null;
        return false;
    }

    public void SetSetup(Guid serviceId, Guid locationId, long version, AvailabilityService.Setup? setup) =>
        memory.Set((serviceId, locationId), (version, setup), new MemoryCacheEntryOptions { Size = 4096, SlidingExpiration = Unused });

    public DaySlots? Day(Guid serviceId, Guid locationId, DateOnly day, AvailabilityVersion version) =>
        memory.TryGetValue((serviceId, locationId, day), out (AvailabilityVersion Version, DaySlots Slots) entry) && entry.Version == version
            ? entry.Slots : null;

    public void SetDay(Guid serviceId, Guid locationId, AvailabilityVersion version, DaySlots slots) =>
        memory.Set((serviceId, locationId, slots.Day), (version, slots),
            new MemoryCacheEntryOptions { Size = 256 + slots.Slots.Count * 160, SlidingExpiration = Unused });

    public void Dispose() => memory.Dispose();
}
