using System.ComponentModel.DataAnnotations;
using Mep.Contracts.Schools;
using Mep.ServiceDefaults.Validation;

namespace Mep.Schools.SchoolYears;

public sealed record SchoolYearResponse(
    [MaxLength(SchoolFields.SchoolYearLength)] string SchoolYear,
    [Range(SchoolYearEndpoints.FirstStartYear, SchoolYearEndpoints.LastStartYear)] int StartYear,
    [Range(0, SchoolYearRequest.MaxPupils)] int Pupils, [Range(0, SchoolYearRequest.MaxTeachers)] int Teachers,
    [Range(0, SchoolYearRequest.MaxClasses)] int Classes, DateTimeOffset UpdatedAt)
{
    public static SchoolYearResponse From(SchoolYearFigures y) => new(y.SchoolYear, y.StartYear, y.Pupils, y.Teachers, y.Classes, y.UpdatedAt);
}

/// <summary>The figures of one school year; all three are required.</summary>
public sealed record SchoolYearRequest(
    [Required, Range(0, SchoolYearRequest.MaxPupils)] int? Pupils,
    [Required, Range(0, SchoolYearRequest.MaxTeachers)] int? Teachers,
    [Required, Range(0, SchoolYearRequest.MaxClasses)] int? Classes) : IValidatableRequest
{
    public const int MaxPupils = 10_000;
    public const int MaxTeachers = 1_000;
    public const int MaxClasses = 500;
}
