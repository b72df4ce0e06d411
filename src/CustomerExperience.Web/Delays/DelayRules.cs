using System.Globalization;
using CustomerExperience.Web.Domain;

namespace CustomerExperience.Web.Delays;

/// <summary>What a delay may say, whom it concerns, and which one applies to a visit. Plain functions, unit-tested.</summary>
public static class DelayRules
{
    public const int MinMinutes = 5;
    public const int MaxMinutes = 240;
    public const int MaxMessage = 300;
    /// <summary>A customer already told about a delay hears again only when it grows by at least this much.</summary>
    public const int RenotifyStep = 10;
    /// <summary>Booked visits starting within this window (and everyone checked in) are told.</summary>
    public static readonly TimeSpan NoticeWindow = TimeSpan.FromHours(2);

    /// <summary>Whole minutes between <see cref="MinMinutes"/> and <see cref="MaxMinutes"/>, or the message to show.</summary>
    public static (int? Minutes, string? Error) ParseMinutes(string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return (null, "Enter how many minutes late the clinic is running.");
        if (!int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes < MinMinutes || minutes > MaxMinutes)
            return (null, $"Enter a whole number of minutes from {MinMinutes} to {MaxMinutes}.");
        return (minutes, null);
    }

    /// <summary>The message trimmed (null when blank), or the problem with it. It goes into emails, so no line breaks or control characters.</summary>
    public static (string? Message, string? Error) CleanMessage(string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return (null, null);
        if (trimmed.Length > MaxMessage)
            return (null, $"Keep the message to {MaxMessage} characters (it has {trimmed.Length}).");
        if (trimmed.Any(char.IsControl))
            return (null, "The message must be one line: no line breaks or control characters.");
        return (trimmed, null);
    }

    /// <summary>
    /// A delay is about one day: one left running overnight means nothing the next morning, so it stops applying
    /// at the end of the local day it was last posted or changed.
    /// </summary>
    public static bool IsCurrent(Delay delay, Location location, DateTimeOffset now) =>
        delay.IsActive && LocalDate(delay.UpdatedAt, location) == LocalDate(now, location);

    /// <summary>
    /// The delay a visit at <paramref name="resourceId"/> is subject to: the larger of the location-wide one and its
    /// resource's own (on a tie the resource's, the more specific). Null when none applies.
    /// </summary>
    public static Delay? Applying(IEnumerable<Delay> currentAtLocation, Guid resourceId) =>
        currentAtLocation
            .Where(d => d.ResourceId is null || d.ResourceId == resourceId)
            .OrderByDescending(d => d.Minutes).ThenBy(d => d.ResourceId is null ? 1 : 0)
            .FirstOrDefault();

    public static DateOnly LocalDate(DateTimeOffset instant, Location location) =>
        location.LocalDate(instant);
}
