using Mep.Contracts.Schools;
using System.ComponentModel.DataAnnotations;
using Mep.Contracts;
using Mep.Schools.SchoolYears;
using Mep.ServiceDefaults.Http;
using Mep.ServiceDefaults.Validation;

namespace Mep.Schools.Register;

public sealed record AddressDto(
    [MaxLength(SchoolFields.MaxStreet)] string Street, [MaxLength(SchoolFields.PostalCodeLength)] string PostalCode,
    [MaxLength(SchoolFields.MaxCity)] string City);

public sealed record AddressInput(
    [Required, MaxLength(SchoolFields.MaxStreet)] string? Street,
    [Required, MaxLength(SchoolFields.PostalCodeLength), RegularExpression(SchoolFields.FiveDigits, ErrorMessage = "A German postal code has five digits.")] string? PostalCode,
    [Required, MaxLength(SchoolFields.MaxCity)] string? City);

/// <summary>Register a school, or replace its master data (PUT).</summary>
/// <param name="ContactEmail">The school's contact mail address (office or IT contact), where it hears about its tickets; optional. A PUT
/// without it removes it, as a PUT replaces the master data.</param>
public sealed record SchoolDetailsRequest(
    [Required, MaxLength(SchoolFields.NumberLength), RegularExpression(SchoolFields.FiveDigits, ErrorMessage = "A Lower Saxony school number has five digits.")] string? Number,
    [Required, MaxLength(SchoolFields.MaxName)] string? Name,
    [Required] SchoolType? Type,
    [Required] AddressInput? Address,
    [Required, MaxLength(SchoolFields.MaxDistrict)] string? District,
    [MaxLength(SchoolFields.MaxEmail), RegularExpression(SchoolFields.Email, ErrorMessage = "A mail address such as sekretariat@goetheschule.example.")]
    string? ContactEmail = null)
    : IValidatableRequest
{
    public SchoolDetails ToDetails() =>
        new(Number!, Name!, Type!.Value, Address!.Street!, Address.PostalCode!, Address.City!, District!, ContactEmail);
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

public sealed record MepStandardDto(
    MepStandardStatus Status, [Range(1, ProgrammesRequest.MaxWave)] int? Wave,
    [Range(ProgrammesRequest.FirstTargetYear, ProgrammesRequest.LastTargetYear)] int? TargetYear, DateOnly? JoinedOn);

public sealed record PortalDto(bool Participates, DateOnly? OnboardedOn);

public sealed record MobileLearningDto(bool Participates, DateOnly? MdmEnrolledOn);

/// <summary>Replace a school's programme participation as a whole; every part is required so nothing is reset by omission.</summary>
public sealed record ProgrammesRequest(
    [Required] MepPilotInput? MepPilot, [Required] MepStandardInput? MepStandard, [Required] PortalInput? Portal,
    [Required] MobileLearningInput? MobileLearning)
    : IValidatableRequest
{
    public const int MaxWave = 50;
    public const int FirstTargetYear = 2016;
    public const int LastTargetYear = 2040;

    public ProgrammeParticipation ToParticipation() => new(
        new MepPilotParticipation(MepPilot!.Participates!.Value, MepPilot.Since),
        new MepStandardParticipation(MepStandard!.Status!.Value, MepStandard.Wave, MepStandard.TargetYear, MepStandard.JoinedOn),
        new OfferParticipation(Portal!.Participates!.Value, Portal.OnboardedOn),
        new OfferParticipation(MobileLearning!.Participates!.Value, MobileLearning.MdmEnrolledOn));
}

public sealed record MepPilotInput([Required] bool? Participates, DateOnly? Since);

public sealed record MepStandardInput(
    [Required] MepStandardStatus? Status, [Range(1, ProgrammesRequest.MaxWave)] int? Wave,
    [Range(ProgrammesRequest.FirstTargetYear, ProgrammesRequest.LastTargetYear)] int? TargetYear, DateOnly? JoinedOn);

public sealed record PortalInput([Required] bool? Participates, DateOnly? OnboardedOn);

public sealed record MobileLearningInput([Required] bool? Participates, DateOnly? MdmEnrolledOn);

public sealed record MediaConceptDto(MediaConceptStatus Status, DateOnly? Dated);

public sealed record MediaConceptRequest([Required] MediaConceptStatus? Status, DateOnly? Dated) : IValidatableRequest;

public sealed record YearSummaryDto(
    [MaxLength(SchoolFields.SchoolYearLength)] string SchoolYear, [Range(0, SchoolYearRequest.MaxPupils)] int Pupils,
    [Range(0, SchoolYearRequest.MaxTeachers)] int Teachers, [Range(0, SchoolYearRequest.MaxClasses)] int Classes);

public sealed record SchoolResponse(
    Guid Id,
    [MaxLength(SchoolFields.NumberLength)] string Number,
    [MaxLength(SchoolFields.MaxName)] string Name,
    SchoolType Type,
    AddressDto Address,
    [MaxLength(SchoolFields.MaxDistrict)] string District,
    [MaxLength(SchoolFields.MaxEmail)] string? ContactEmail,
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
        school.ContactEmail,
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
public sealed record SchoolListQuery(
    [MaxLength(100)] string? Search,
    [OneOf("GS", "HS", "RS", "OBS", "GY", "IGS", "KGS", "FöS", "FoeS", "BBS", IgnoreCase = true, Trim = true,
        Message = "Unknown school type; use GS, HS, RS, OBS, GY, IGS, KGS, FöS (or FoeS), BBS.")] string? Type,
    [MaxLength(SchoolFields.MaxDistrict)] string? District,
    [OneOf("mepPilot", "mepStandard", "portal", "mobileLearning", Message = "Use one of: mepPilot, mepStandard, portal, mobileLearning.")] string? Programme,
    [OneOf("number", "-number", "name", "-name", "type", "-type", "district", "-district",
        Message = "Sort by one of: number, name, type, district (prefix - for descending).")] string? Sort,
    [PageNumber] int? Page,
    [PageSize] int? PageSize)
    : IValidatableRequest;
