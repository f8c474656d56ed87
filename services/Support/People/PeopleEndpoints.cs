using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Mep.Contracts;
using Mep.ServiceDefaults.Auth;
using Mep.ServiceDefaults.Data;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;
using Mep.Support.Data;
using Mep.Support.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Mep.Support.People;

/// <summary>The people directory: admins keep it; staff enter it themselves by signing in.</summary>
public static class PeopleEndpoints
{
    /// <summary>More groups than the directory will ever have; bounds the answer.</summary>
    public const int MaxGroups = 200;

    /// <summary>The filter value that means "the city's own staff" (no organisation).</summary>
    public const string Internal = "internal";

    public static RouteGroupBuilder MapPeopleEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/people", ListPeople).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(ListPeople)).WithSummary("The people directory, by name: filter by text, organisation, role or whether active.");
        group.MapGet("/people/{subject}", GetPerson).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(GetPerson)).WithSummary("One person, with the groups they are a member of and their ETag.");
        group.MapPost("/people", CreatePerson).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(CreatePerson))
            .WithSummary("Record a person who has not signed in yet (e.g. a vendor's technician), so that they can be added to groups and assigned.");
        group.MapPut("/people/{subject}", UpdatePerson).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(UpdatePerson))
            .WithSummary("Correct a person's name, mail, roles or organisation (If-Match required); their next token with changed claims refreshes name, mail and roles.");
        group.MapPost("/people/{subject}/deactivation", DeactivatePerson).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(DeactivatePerson))
            .WithSummary("A person left: they can no longer be assigned or added to groups, their memberships end; tickets keep them in their history.");
        group.MapDelete("/people/{subject}/deactivation", ReactivatePerson).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(ReactivatePerson)).WithSummary("Undo a deactivation (memberships are not restored; add them again).");
        group.MapGet("/organisations", ListOrganisations).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(ListOrganisations)).WithSummary("The vendors and contractors whose people work tickets.");
        group.MapPut("/organisations/{code}", SaveOrganisation).RequireAuthorization(SupportAccess.Administer)
            .WithName(nameof(SaveOrganisation)).WithSummary("Record a vendor or contractor, or rename it.");
        return group;
    }

    public static async Task<Ok<Page<PersonResponse>>> ListPeople([AsParameters] PeopleQuery query, SupportDbContext db, CancellationToken cancellationToken)
    {
        var people = db.People.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = LikePatterns.Containing(query.Search.Trim());
            people = people.Where(p => EF.Functions.ILike(p.Subject, pattern, LikePatterns.EscapeCharacter)
                || EF.Functions.ILike(p.DisplayName, pattern, LikePatterns.EscapeCharacter)
                || (p.Email != null && EF.Functions.ILike(p.Email, pattern, LikePatterns.EscapeCharacter)));
        }

        if (query.Organisation is { } organisation)
        {
            people = organisation == Internal ? people.Where(p => p.OrganisationCode == null) : people.Where(p => p.OrganisationCode == organisation);
        }

        if (query.Role is { } role)
        {
            people = people.Where(p => p.Roles.Contains(role));
        }

        if (query.Active is { } active)
        {
            people = people.Where(p => p.Active == active);
        }

        var (skip, take, page, pageSize) = Paging.Resolve(query.Page, query.PageSize);
        var total = await people.CountAsync(cancellationToken);
        var found = await people.OrderBy(p => p.DisplayName).ThenBy(p => p.Subject).Page(skip, take).ToListAsync(cancellationToken);
        var subjects = found.ConvertAll(p => p.Subject);
        var groups = (await db.GroupMembers.AsNoTracking().Where(m => subjects.Contains(m.Subject)).ToListAsync(cancellationToken))
            .ToLookup(m => m.Subject, m => m.GroupCode);
        return TypedResults.Ok(new Page<PersonResponse>([.. found.Select(p => Response(p, groups[p.Subject]))], page, pageSize, total));
    }

    public static async Task<Results<Ok<PersonResponse>, ProblemHttpResult>> GetPerson([MaxLength(CallerClaims.MaxActorLength)] string subject,
        SupportDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var person = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Subject == subject, cancellationToken);
        if (person is null)
        {
            return ApiProblems.NotFound("person");
        }

        ETags.Set(response, person.Version);
        return TypedResults.Ok(await ResponseAsync(db, person, cancellationToken));
    }

    public static async Task<Results<Created<PersonResponse>, ValidationProblem, ProblemHttpResult>> CreatePerson(CreatePersonRequest request,
        ClaimsPrincipal user, SupportDbContext db, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var subject = request.Subject!.Trim();
        if (await UnknownOrganisationAsync(db, request.Organisation, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        if (await db.People.AnyAsync(p => p.Subject == subject, cancellationToken))
        {
            return ApiProblems.Conflict("A person with this subject is already in the directory; update them instead.");
        }

        var person = Person.Create(subject, request.DisplayName!.Trim(), Blank(request.Email), request.Roles ?? [], Blank(request.Organisation), user.Actor(),
            clock.GetUtcNow());
        db.People.Add(person);
        // Two admins recording the same person at once: the primary key refuses the second (409).
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(response, person.Version);
        return TypedResults.Created($"{SupportService.PathPrefix}/people/{Uri.EscapeDataString(subject)}", Response(person, []));
    }

    public static async Task<Results<Ok<PersonResponse>, ValidationProblem, ProblemHttpResult>> UpdatePerson(
        [MaxLength(CallerClaims.MaxActorLength)] string subject, UpdatePersonRequest request, ClaimsPrincipal user, SupportDbContext db,
        TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForReplacementAsync(db.People.AsTracking().SingleOrDefaultAsync(p => p.Subject == subject, cancellationToken),
            "person", http.Request, p => p.Version);
        if (!found.TryGet(out var person, out var refusal))
        {
            return refusal;
        }

        if (await UnknownOrganisationAsync(db, request.Organisation, cancellationToken) is { } unknown)
        {
            return unknown;
        }

        person.Update(request.DisplayName!.Trim(), Blank(request.Email), request.Roles ?? [], Blank(request.Organisation), user.Actor(), clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, person.Version);
        return TypedResults.Ok(await ResponseAsync(db, person, cancellationToken));
    }

    public static async Task<Results<Ok<PersonResponse>, ProblemHttpResult>> DeactivatePerson([MaxLength(CallerClaims.MaxActorLength)] string subject,
        ClaimsPrincipal user, SupportDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForWriteAsync(db.People.AsTracking().SingleOrDefaultAsync(p => p.Subject == subject, cancellationToken),
            "person", http.Request, p => p.Version);
        if (!found.TryGet(out var person, out var refusal))
        {
            return refusal;
        }

        var now = clock.GetUtcNow();
        person.Deactivate(user.Actor(), now);
        // Memberships are what let an outside organisation's people see a group's tickets: they end with the person's work.
        var memberships = await db.GroupMembers.AsTracking().Where(m => m.Subject == subject).ToListAsync(cancellationToken);
        db.GroupMembers.RemoveRange(memberships);
        db.GroupMembershipChanges.AddRange(memberships.Select(m => new GroupMembershipChange
        {
            GroupCode = m.GroupCode, Subject = subject, Change = GroupMembershipChange.Removed, At = now, Actor = user.Actor(), Reason = "deactivated",
        }));
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, person.Version);
        return TypedResults.Ok(Response(person, []));
    }

    public static async Task<Results<Ok<PersonResponse>, ProblemHttpResult>> ReactivatePerson([MaxLength(CallerClaims.MaxActorLength)] string subject,
        ClaimsPrincipal user, SupportDbContext db, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var found = await ETags.FindForWriteAsync(db.People.AsTracking().SingleOrDefaultAsync(p => p.Subject == subject, cancellationToken),
            "person", http.Request, p => p.Version);
        if (!found.TryGet(out var person, out var refusal))
        {
            return refusal;
        }

        person.Reactivate(user.Actor(), clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(http.Response, person.Version);
        return TypedResults.Ok(await ResponseAsync(db, person, cancellationToken));
    }

    public static async Task<Ok<List<OrganisationResponse>>> ListOrganisations(SupportDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Organisations.AsNoTracking().OrderBy(o => o.Name)
            .Select(o => new OrganisationResponse(o.Code, o.Name, o.Kind)).ToListAsync(cancellationToken));

    public static async Task<Results<Ok<OrganisationResponse>, ValidationProblem>> SaveOrganisation(
        [MaxLength(TicketFields.MaxCode), RegularExpression("^[a-z0-9-]+$", ErrorMessage = "Lower-case letters, digits and hyphens.")] string code,
        OrganisationRequest request, SupportDbContext db, CancellationToken cancellationToken)
    {
        if (code == Internal)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]> { ["code"] = ["\"internal\" stands for the city's own staff."] });
        }

        var organisation = await db.Organisations.AsTracking().SingleOrDefaultAsync(o => o.Code == code, cancellationToken);
        if (organisation is null)
        {
            organisation = new Organisation { Code = code };
            db.Organisations.Add(organisation);
        }

        (organisation.Name, organisation.Kind) = (request.Name!.Trim(), EnumText.ParseName<OrganisationKind>(request.Kind!));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new OrganisationResponse(organisation.Code, organisation.Name, organisation.Kind));
    }

    private static async Task<ValidationProblem?> UnknownOrganisationAsync(SupportDbContext db, string? organisation, CancellationToken cancellationToken) =>
        Blank(organisation) is { } code && !await db.Organisations.AnyAsync(o => o.Code == code, cancellationToken)
            ? ApiProblems.Validation(new Dictionary<string, string[]> { ["organisation"] = ["No organisation with this code; an admin records it first."] })
            : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static async Task<PersonResponse> ResponseAsync(SupportDbContext db, Person person, CancellationToken cancellationToken) =>
        Response(person, await db.GroupMembers.AsNoTracking().Where(m => m.Subject == person.Subject).Select(m => m.GroupCode).ToListAsync(cancellationToken));

    private static PersonResponse Response(Person p, IEnumerable<string> groups) =>
        new(p.Subject, p.DisplayName, p.Email, p.Roles, p.OrganisationCode, p.Active, [.. groups.Order(StringComparer.Ordinal)], p.CreatedAt, p.CreatedBy,
            p.UpdatedAt, p.UpdatedBy, p.DeactivatedAt, p.DeactivatedBy);
}
