using Mep.Contracts.Schools;
using System.Text.RegularExpressions;
using Mep.Contracts;
using Mep.Schools.SchoolYears;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Schools.Schools;

public sealed record AddressDto(string Street, string PostalCode, string City);

public sealed record AddressInput(string? Street, string? PostalCode, string? City);

/// <summary>Register a school, or replace its master data (PUT).</summary>
public sealed partial record SchoolDetailsRequest(string? Number, string? Name, SchoolType? Type, AddressInput? Address, string? District)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Text("number", Number, 5))
        {
            errors.Matches("number", Number, FiveDigits(), "A Lower Saxony school number has five digits.");
        }

        errors.Text("name", Name, 200);
        errors.Required("type", Type);
        if (errors.Required("address", Address))
        {
            errors.Text("address.street", Address!.Street, 200);
            if (errors.Text("address.postalCode", Address.PostalCode, 5))
            {
                errors.Matches("address.postalCode", Address.PostalCode, FiveDigits(), "A German postal code has five digits.");
            }

            errors.Text("address.city", Address.City, 100);
        }

        errors.Text("district", District, 100);
    }

    public SchoolDetails ToDetails() =>
        new(Number!, Name!, Type!.Value, Address!.Street!, Address.PostalCode!, Address.City!, District!);

    /// <summary>School numbers in Lower Saxony and German postal codes alike.</summary>
    [GeneratedRegex(@"^\d{5}$")]
    private static partial Regex FiveDigits();
}

public sealed record ProgrammesDto(MepPilotDto MepPilot, MepStandardDto MepStandard, PortalDto Portal, MobileLearningDto MobileLearning)
{
    public static ProgrammesDto From(ProgrammeParticipation p) => new(
        new MepPilotDto(p.MepPilot.Participates, p.MepPilot.Since),
        new MepStandardDto(p.MepStandard.Status, p.MepStandard.Wave, p.MepStandard.TargetYear, p.MepStandard.JoinedOn),
        new PortalDto(p.Portal.Participates, p.Portal.Since),
        new MobileLearningDto(p.MobileLearning.Participates, p.MobileLearning.Since));
}

public sealed record MepPilotDto(bool Participates, DateOnly? Since);

public sealed record MepStandardDto(MepStandardStatus Status, int? Wave, int? TargetYear, DateOnly? JoinedOn);

public sealed record PortalDto(bool Participates, DateOnly? OnboardedOn);

public sealed record MobileLearningDto(bool Participates, DateOnly? MdmEnrolledOn);

/// <summary>Replace a school's programme participation as a whole; every part is required so nothing is reset by omission.</summary>
public sealed record ProgrammesRequest(MepPilotInput? MepPilot, MepStandardInput? MepStandard, PortalInput? Portal, MobileLearningInput? MobileLearning)
    : IValidatableRequest
{
    public void Validate(ValidationErrors errors)
    {
        if (errors.Required("mepPilot", MepPilot))
        {
            errors.Required("mepPilot.participates", MepPilot!.Participates);
        }

        if (errors.Required("mepStandard", MepStandard))
        {
            errors.Required("mepStandard.status", MepStandard!.Status);
            errors.Range("mepStandard.wave", MepStandard.Wave, 1, 50);
            errors.Range("mepStandard.targetYear", MepStandard.TargetYear, 2016, 2040);
        }

        if (errors.Required("portal", Portal))
        {
            errors.Required("portal.participates", Portal!.Participates);
        }

        if (errors.Required("mobileLearning", MobileLearning))
        {
            errors.Required("mobileLearning.participates", MobileLearning!.Participates);
        }
    }

    public ProgrammeParticipation ToParticipation() => new(
        new MepPilotParticipation(MepPilot!.Participates!.Value, MepPilot.Since),
        new MepStandardParticipation(MepStandard!.Status!.Value, MepStandard.Wave, MepStandard.TargetYear, MepStandard.JoinedOn),
        new OfferParticipation(Portal!.Participates!.Value, Portal.OnboardedOn),
        new OfferParticipation(MobileLearning!.Participates!.Value, MobileLearning.MdmEnrolledOn));
}

public sealed record MepPilotInput(bool? Participates, DateOnly? Since);

public sealed record MepStandardInput(MepStandardStatus? Status, int? Wave, int? TargetYear, DateOnly? JoinedOn);

public sealed record PortalInput(bool? Participates, DateOnly? OnboardedOn);

public sealed record MobileLearningInput(bool? Participates, DateOnly? MdmEnrolledOn);

public sealed record MediaConceptDto(MediaConceptStatus Status, DateOnly? Dated);

public sealed record MediaConceptRequest(MediaConceptStatus? Status, DateOnly? Dated) : IValidatableRequest
{
    public void Validate(ValidationErrors errors) => errors.Required("status", Status);
}

public sealed record YearSummaryDto(string SchoolYear, int Pupils, int Teachers, int Classes);

public sealed record SchoolResponse(
    Guid Id,
    string Number,
    string Name,
    SchoolType Type,
    AddressDto Address,
    string District,
    ProgrammesDto Programmes,
    MediaConceptDto MediaConcept,
    YearSummaryDto? LatestYear,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static SchoolResponse From(School school, SchoolYearFigures? latestYear) => new(
        school.Id,
        school.Number,
        school.Name,
        school.Type,
        new AddressDto(school.Street, school.PostalCode, school.City),
        school.District,
        ProgrammesDto.From(school.Programmes),
        new MediaConceptDto(school.MediaConcept, school.MediaConceptDated),
        latestYear is null ? null : new YearSummaryDto(latestYear.SchoolYear, latestYear.Pupils, latestYear.Teachers, latestYear.Classes),
        school.CreatedAt,
        school.UpdatedAt);
}

/// <summary>Query of the school list. All filters combine with AND.</summary>
/// <param name="Search">Part of the name, or the start of the school number.</param>
/// <param name="Type">School type code (GS, HS, RS, OBS, GY, IGS, KGS, FöS or FoeS, BBS).</param>
/// <param name="District">City district, exact.</param>
/// <param name="Programme">Only schools taking part: mepPilot, mepStandard (planned or joined), portal, mobileLearning.</param>
/// <param name="Sort">number, name, type or district; prefix "-" for descending. Default: name.</param>
/// <param name="Page">Page number, from 1.</param>
/// <param name="PageSize">Items per page, 1 to 200 (default 50).</param>
public sealed record SchoolListQuery(string? Search, string? Type, string? District, string? Programme, string? Sort, int? Page, int? PageSize)
    : IValidatableRequest
{
    public static readonly string[] SortKeys = ["number", "name", "type", "district"];
    public static readonly string[] Programmes = ["mepPilot", "mepStandard", "portal", "mobileLearning"];

    public void Validate(ValidationErrors errors)
    {
        errors.Text("search", Search, 100, required: false);
        if (Type is not null && !SchoolTypes.TryParse(Type, out _))
        {
            errors.Add("type", "Unknown school type; use GS, HS, RS, OBS, GY, IGS, KGS, FöS (or FoeS), BBS.");
        }

        errors.Text("district", District, 100, required: false);
        if (Programme is not null && !Programmes.Contains(Programme, StringComparer.Ordinal))
        {
            errors.Add("programme", $"Use one of: {string.Join(", ", Programmes)}.");
        }

        if (Sort is not null && !SortKeys.Contains(Sort.TrimStart('-'), StringComparer.Ordinal))
        {
            errors.Add("sort", $"Sort by one of: {string.Join(", ", SortKeys)} (prefix - for descending).");
        }

        Paging.Validate(errors, Page, PageSize);
    }
}
