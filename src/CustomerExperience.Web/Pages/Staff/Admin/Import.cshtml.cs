using CustomerExperience.Web.Data;
using CustomerExperience.Web.Domain;
using CustomerExperience.Web.Setup;
using CustomerExperience.Web.Staff;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace CustomerExperience.Web.Pages.Staff.Admin;

/// <summary>
/// Bringing a clinic's existing customers in from a CSV: upload, map the columns, preview the first rows with their
/// problems, then import in the background (progress survives a reload) and download the rows that were left out.
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
[RequestSizeLimit(ImportFiles.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportFiles.MaxRequestBytes)]
[RefuseOversizedUpload]
public class ImportModel(AppDbContext db, ImportFiles files, ImportRunner runner) : PageModel
{
    public const int PreviewRows = 20;

    [BindProperty] public int? FullName { get; set; }
    [BindProperty] public int? PreferredName { get; set; }
    [BindProperty] public int? Email { get; set; }
    [BindProperty] public int? Phone { get; set; }
    [BindProperty] public int? DateOfBirth { get; set; }
    [BindProperty] public string? DateFormat { get; set; }
    [BindProperty] public Guid? LocationId { get; set; }
    /// <summary>Service id → column index, from the fields named <c>service-{id}</c>.</summary>
    public Dictionary<Guid, int> ServiceColumns { get; private set; } = [];

    public CustomerImport? Import { get; private set; }
    public IReadOnlyList<CustomerImport> Recent { get; private set; } = [];
    public IReadOnlyList<Service> Services { get; private set; } = [];
    public IReadOnlyList<Location> Locations { get; private set; } = [];
    public IReadOnlyList<PreviewRow>? Preview { get; private set; }
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (Import is { Status: ImportStatus.Uploaded })
            Show(ImportMapping.Guess(Import.Headers, Services, Locations.Count == 1 ? Locations[0].Id : null));
        return Page();
    }

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
            return await RefuseUploadAsync(StatusCodes.Status400BadRequest, "Choose the CSV file with your customers.", ct);
        if (file.Length > ImportFiles.MaxFileBytes)
            return await RefuseUploadAsync(StatusCodes.Status413PayloadTooLarge, ImportFiles.TooLarge(file.Length), ct);
        await using var content = file.OpenReadStream();
        return await files.StoreAsync(file.FileName, content, ct) switch
        {
            UploadOutcome.Stored stored => RedirectToPage(new { id = stored.ImportId }),
            UploadOutcome.Refused refused => await RefuseUploadAsync(refused.Status, refused.Message, ct),
            _ => throw new InvalidOperationException(),
        };
    }

    public async Task<IActionResult> OnPostPreviewAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (Import!.Status != ImportStatus.Uploaded) return RedirectToPage(new { id });
        if (Posted() is not { } mapping) return Invalid();
        Preview = await runner.PreviewAsync(Import, mapping, PreviewRows, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostStartAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (Import!.Status != ImportStatus.Uploaded) return RedirectToPage(new { id });
        if (Posted() is not { } mapping) return Invalid();
        if (!await runner.QueueAsync(id, mapping, ct))
        {
            Errors = new Dictionary<string, string> { ["import"] = "This import was started meanwhile (in another tab or by someone else)." };
            Response.StatusCode = StatusCodes.Status409Conflict;
            await LoadAsync(id, ct);
            return Page();
        }
        return RedirectToPage(new { id });
    }

    /// <summary>What the progress bar shows, polled by import-progress.js.</summary>
    public async Task<IActionResult> OnGetProgressAsync(Guid id, CancellationToken ct)
    {
        var import = await db.CustomerImports.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (import is null) return NotFound();
        return new JsonResult(new
        {
            status = import.Status.ToString(), total = import.TotalRows, done = import.RowsDone,
            imported = import.Imported, updated = import.Updated, unchanged = import.Unchanged, rejected = import.Rejected,
            failure = import.Failure,
        });
    }

    public async Task<IActionResult> OnGetRejectedAsync(Guid id, CancellationToken ct)
    {
        var import = await db.CustomerImports.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (import is null) return NotFound();
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"rejected-rows-{import.UploadedAt:yyyy-MM-dd}-{id.ToString()[..8]}.csv\"";
        await runner.WriteRejectedAsync(import, Response.Body, ct);
        return new EmptyResult();
    }

    public string? Selected(string field) => Errors.GetValueOrDefault(field);

    private ImportMapping? Posted()
    {
        foreach (var service in Services)
            if (int.TryParse(Request.Form[$"service-{service.Id}"], out var column))
                ServiceColumns[service.Id] = column;
        var mapping = new ImportMapping(FullName, PreferredName, Email, Phone, DateOfBirth, DateFormat ?? "", LocationId, ServiceColumns);
        Errors = mapping.Validate(Import!.Headers.Count, Services.Select(s => s.Id).ToList(), Locations.Select(l => l.Id).ToList());
        return Errors.Count == 0 ? mapping : null;
    }

    private void Show(ImportMapping mapping)
    {
        (FullName, PreferredName, Email, Phone, DateOfBirth, DateFormat, LocationId) =
            (mapping.FullName, mapping.PreferredName, mapping.Email, mapping.Phone, mapping.DateOfBirth, mapping.DateFormat, mapping.LocationId);
        ServiceColumns = mapping.Services;
    }

    private PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<IActionResult> RefuseUploadAsync(int status, string message, CancellationToken ct)
    {
        Errors = new Dictionary<string, string> { ["file"] = message };
        Response.StatusCode = status;
        await LoadAsync(null, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid? id, CancellationToken ct)
    {
        Services = await db.Services.AsNoTracking().Where(s => s.IsActive).OrderBy(s => s.Name).ToListAsync(ct);
        Locations = await db.Locations.AsNoTracking().OrderBy(l => l.Name).ToListAsync(ct);
        Recent = await db.CustomerImports.AsNoTracking().OrderByDescending(i => i.UploadedAt).Take(10).ToListAsync(ct);
        if (id is null) return true;
        Import = await db.CustomerImports.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        return Import is not null;
    }
}

/// <summary>
/// A request larger than any file we accept is refused before its body is read (antiforgery would read the whole form
/// first), with the reason in words; a file between the limit and this size is received and refused on the page.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RefuseOversizedUploadAttribute : Attribute, IAuthorizationFilter, IOrderedFilter
{
    public int Order => int.MinValue;

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        if (context.HttpContext.Request.ContentLength is { } length && length > ImportFiles.MaxRequestBytes)
            context.Result = new ContentResult
            {
                StatusCode = StatusCodes.Status413PayloadTooLarge, ContentType = "text/plain; charset=utf-8", Content = ImportFiles.TooLarge(length),
            };
    }
}
