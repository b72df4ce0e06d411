namespace CustomerExperience.Web.Pages.Staff.Cases;

/// <summary>The "Log a complaint" form (partial _LogComplaint) on the visit panel, the customer page and the complaint page.</summary>
public sealed record ComplaintForm(
    Guid CustomerId, Guid? VisitId, bool Open = false, string? WhatHappened = null, string? Category = null,
    (string Field, string Message)? Invalid = null)
{
    public string? ErrorFor(string field) => Invalid is { } invalid && invalid.Field == field ? invalid.Message : null;
}
