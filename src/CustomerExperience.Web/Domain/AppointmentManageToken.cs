namespace CustomerExperience.Web.Domain;

/// <summary>
/// The SHA-256 of one manage token of a visit. Every email that carries a manage link gets a fresh token, and each
/// one keeps opening the visit; the token itself is only ever in the customer's email.
/// </summary>
public class AppointmentManageToken
{
    public required byte[] Hash { get; init; }
    public Guid AppointmentId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
