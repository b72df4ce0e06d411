using CustomerExperience.Tests.Infrastructure;
using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerExperience.Tests.Insights;

/// <summary>
/// Writes visits, survey responses, recall emails and cases straight through the context, at exact times, for the
/// insights figures. Visits last a second and each starts a second after the seed's previous one, so any number fit
/// one room without moving off their day.
/// </summary>
public sealed class InsightsSeed(IServiceProvider services, TestClinic clinic)
{
    private int second;

    public TestClinic Clinic => clinic;

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var result = await work(db);
        await db.SaveChangesAsync();
        return result;
    }

    public Task<Guid> CustomerAsync(string name = "Insight Customer") => WithDbAsync(db =>
    {
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(), FullName = name, Email = $"{Guid.NewGuid():N}@customers.example", Phone = "+1 212 555 0199",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        db.Customers.Add(customer);
        return Task.FromResult(customer.Id);
    });

    /// <summary>A visit at <paramref name="at"/> (moved on by a minute per visit of the seed), completed unless told otherwise.</summary>
    public Task<Guid> VisitAsync(Guid customerId, DateTimeOffset at, AppointmentStatus status = AppointmentStatus.Completed,
        string? performedBy = null, string? checkedInBy = null, BookingSource source = BookingSource.Online, DateTimeOffset? createdAt = null) =>
        WithDbAsync(db =>
        {
            // Npgsql writes timestamptz only from UTC values.
            var start = at.ToUniversalTime().AddSeconds(second++);
            var visit = new Appointment
            {
                Id = Guid.CreateVersion7(), CustomerId = customerId, ServiceId = clinic.ServiceId, LocationId = clinic.LocationId,
                ResourceId = clinic.RoomId, CreatedAt = createdAt?.ToUniversalTime() ?? start.AddDays(-20), Source = source,
            };
            visit.Schedule(start, TimeSpan.FromSeconds(1), TimeSpan.Zero);
            switch (status)
            {
                case AppointmentStatus.Completed:
                    visit.CheckIn(start, checkedInBy, performedBy);
                    visit.Complete(start.AddMinutes(1), performedBy);
                    break;
                case AppointmentStatus.CheckedIn:
                    visit.CheckIn(start, checkedInBy, performedBy);
                    break;
                case AppointmentStatus.NoShow:
                    visit.MarkNoShow();
                    break;
                case AppointmentStatus.Cancelled:
                    visit.Cancel("test", start.AddDays(-1));
                    break;
            }
            db.Appointments.Add(visit);
            return Task.FromResult(visit.Id);
        });

    /// <summary>
    /// A response submitted at <paramref name="at"/>; <paramref name="scores"/> maps question keys to scores (a key
    /// left out is a skip).
    /// </summary>
    public Task<Guid> ResponseAsync(DateTimeOffset at, IReadOnlyDictionary<string, int> scores, Guid? visitId = null, Guid? customerId = null,
        SurveyChannel channel = SurveyChannel.Kiosk, int? seconds = 30, bool partial = false, string? comment = null) =>
        WithDbAsync(db =>
        {
            at = at.ToUniversalTime();
            var response = new SurveyResponse
            {
                Id = Guid.CreateVersion7(), DefinitionVersion = 1, Channel = channel, LocationId = clinic.LocationId, AppointmentId = visitId,
                CustomerId = customerId, StartedAt = at.AddSeconds(-(seconds ?? 30)), SubmittedAt = at, DurationSeconds = seconds,
                IsPartial = partial, Comment = comment,
                Answers = scores.Select(s => new SurveyAnswer { QuestionKey = s.Key, Score = s.Value }).ToList(),
            };
            db.SurveyResponses.Add(response);
            return Task.FromResult(response.Id);
        });

    /// <summary>A completed visit and its response, both at <paramref name="at"/>.</summary>
    public async Task<Guid> AnsweredVisitAsync(DateTimeOffset at, IReadOnlyDictionary<string, int> scores, string? performedBy = null,
        SurveyChannel channel = SurveyChannel.Kiosk, int? seconds = 30, bool partial = false, string? comment = null)
    {
        var customer = await CustomerAsync();
        var visit = await VisitAsync(customer, at.AddMinutes(-40), performedBy: performedBy);
        return await ResponseAsync(at, scores, visit, customer, channel, seconds, partial, comment);
    }

    public Task<Guid> RecallEmailAsync(Guid customerId, DateTimeOffset sentAt, OutboundEmailStatus status = OutboundEmailStatus.Sent) =>
        WithDbAsync(db =>
        {
            sentAt = sentAt.ToUniversalTime();
            var email = new OutboundEmail
            {
                Id = Guid.CreateVersion7(), Kind = "recall", IdempotencyKey = $"recall:{customerId}:{clinic.ServiceId}:{sentAt:yyyy-MM-dd}:{Guid.NewGuid():N}",
                ToAddress = "someone@customers.example", Subject = "Your next visit is covered", TextBody = "…", CustomerId = customerId,
                Status = status, CreatedAt = sentAt.AddMinutes(-1), NextAttemptAt = sentAt, SentAt = status == OutboundEmailStatus.Sent ? sentAt : null,
            };
            db.OutboundEmails.Add(email);
            return Task.FromResult(email.Id);
        });

    public Task<Guid> CaseAsync(DateTimeOffset openedAt, CaseStatus status, TimeSpan? firstContactAfter = null, RootCause? rootCause = null,
        DateTimeOffset? dueAt = null, Guid? responseId = null, bool clinical = false) =>
        WithDbAsync(db =>
        {
            openedAt = openedAt.ToUniversalTime();
            dueAt = dueAt?.ToUniversalTime();
            var recoveryCase = new RecoveryCase
            {
                Id = Guid.CreateVersion7(), Source = CaseSource.Survey, ResponseId = responseId, LocationId = clinic.LocationId,
                Summary = "The wait: Very poor", OpenedAt = openedAt, DueAt = dueAt ?? openedAt.AddDays(1), Status = status,
                FirstContactAt = openedAt + firstContactAfter, RootCause = rootCause, Clinical = clinical,
                ResolvedAt = status == CaseStatus.Resolved ? openedAt.AddDays(2) : null,
            };
            db.RecoveryCases.Add(recoveryCase);
            return Task.FromResult(recoveryCase.Id);
        });

    public static Dictionary<string, int> Scores(int? booking = null, int? reminders = null, int? welcome = null, int? wait = null,
        int? explained = null, int? comfort = null, int? recommend = null)
    {
        var scores = new Dictionary<string, int>();
        void Add(string key, int? value) { if (value is { } v) scores[key] = v; }
        Add("booking", booking); Add("reminders", reminders); Add("welcome", welcome); Add("wait", wait);
        Add("explained", explained); Add("comfort", comfort); Add("recommend", recommend);
        return scores;
    }
}
