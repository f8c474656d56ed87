using Mep.Funding.Programmes;
using Mep.Contracts.Schools;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.RegularExpressions;
using Mep.Contracts.Assets;
using Mep.ServiceDefaults.Validation;

namespace Mep.Funding.Subsidies;

/// <param name="Year">Calendar year, e.g. 2020.</param>
public sealed record SchoolSubsidyQuery([Required, MaxLength(4)] string? Year) : IValidatableRequest
{
    public int ParsedYear => int.Parse(Year!, CultureInfo.InvariantCulture);

    public void Validate(ValidationErrors errors)
    {
        if (!string.IsNullOrWhiteSpace(Year) && Year.Trim().Length <= 4
            && (!int.TryParse(Year, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2100))
        {
            errors.Add("year", "A year from 2000 to 2100.");
        }
    }
}

/// <param name="Month">Calendar month as yyyy-MM, e.g. 2020-01.</param>
public sealed record MonthSubsidyQuery([Required, MaxLength(SubsidyEndpoints.MonthLength)] string? Month) : IValidatableRequest
{
    public DateOnly FirstDay => DateOnly.ParseExact(Month! + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void Validate(ValidationErrors errors)
    {
        if (!string.IsNullOrWhiteSpace(Month) && Month.Trim().Length <= SubsidyEndpoints.MonthLength && (!DateOnly.TryParseExact(Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None,
                out var day) || day.Year is < 2000 or > 2100))
        {
            errors.Add("month", "A month as yyyy-MM, e.g. 2020-01.");
        }
    }
}

/// <param name="Devices">Devices whose contract runs in the month.</param>
/// <param name="CityShare">Their monthly rates' city share plus <paramref name="PurchaseCityShare"/>.</param>
/// <param name="Purchases">Tablets the parents bought outright in the month.</param>
/// <param name="PurchaseCityShare">The one-off city share of those purchases.</param>
public sealed record CategorySubsidy(SubsidyCategory Category, int Devices, decimal CityShare, int Purchases, decimal PurchaseCityShare);

/// <param name="CityShare">What the city pays for the month: monthly shares and one-off purchase shares.</param>
public sealed record MonthSubsidy([MaxLength(SubsidyEndpoints.MonthLength)] string Month, int Devices, decimal CityShare, IReadOnlyList<CategorySubsidy> ByCategory);

/// <param name="Devices">Distinct devices in the category in any month of the year.</param>
/// <param name="DeviceMonths">Months paid for, added over the devices.</param>
/// <param name="CityShare">Monthly shares plus <paramref name="PurchaseCityShare"/>.</param>
/// <param name="Purchases">Tablets the parents bought outright in the year.</param>
public sealed record CategoryYear(SubsidyCategory Category, int Devices, int DeviceMonths, decimal CityShare, int Purchases, decimal PurchaseCityShare);

/// <param name="PurchaseShare">Share of the purchase price paid once for a tablet bought outright; null: none.</param>
public sealed record SubsidyRuleResponse(SubsidyCategory Category, decimal CityShare, decimal? PurchaseShare, [MaxLength(ProgrammeFields.MaxSource)] string Source);

public sealed record SchoolSubsidies(
    Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string Number, [MaxLength(SchoolFields.MaxName)] string Name, [Range(2000, 2100)] int Year,
    IReadOnlyList<SubsidyRuleResponse> Rules, [MaxLength(12)] IReadOnlyList<MonthSubsidy> Months, decimal YearCityShare, IReadOnlyList<CategoryYear> ByCategory);

/// <param name="Number">The school's number (also as schoolNumber, the name every row that refers to a school uses).</param>
/// <param name="Name">The school's name (also as schoolName).</param>
public sealed record SchoolMonthSubsidy(
    Guid SchoolId, [MaxLength(SchoolFields.NumberLength)] string? Number, [MaxLength(SchoolFields.MaxName)] string? Name, int Devices,
    decimal CityShare, IReadOnlyList<CategorySubsidy> ByCategory)
{
    [MaxLength(SchoolFields.NumberLength)]
    public string? SchoolNumber => Number;

    [MaxLength(SchoolFields.MaxName)]
    public string? SchoolName => Name;
}

public sealed record MonthSubsidies([MaxLength(SubsidyEndpoints.MonthLength)] string Month, IReadOnlyList<SchoolMonthSubsidy> Schools, int Devices, decimal CityShare,
    IReadOnlyList<CategorySubsidy> ByCategory);

/// <param name="SchoolId">The schools, repeated (schoolId=..&amp;schoolId=..); or <see cref="AtMepStandard"/>.</param>
/// <param name="SchoolNumber">The schools by number, repeated (schoolNumber=..&amp;schoolNumber=..), with or instead of schoolId.</param>
/// <param name="AtMepStandard">"true": every school at the MEP standard (the pilot schools in 2020).</param>
/// <param name="PupilsOfStartYear">Take every row's pupils from this school year (the paper: 2018, the pilots' 5,080); default each row's own.</param>
/// <param name="CensusDay">The day of each school year a tablet must be under contract to count, as MM-dd; default 09-15 (after the first weeks of school).</param>
/// <param name="FromStartYear">First row; default the first school year with a counted tablet.</param>
/// <param name="ToStartYear">Last row; default the last school year with a counted tablet.</param>
public sealed record UptakeQuery(
    [MaxLength(UptakeQuery.MaxSchools, ErrorMessage = "At most 1,000 schools."), Items(MaxLength = 36)] string[]? SchoolId,
    [MaxLength(UptakeQuery.MaxSchools, ErrorMessage = "At most 1,000 schools."), Items(MaxLength = SchoolFields.NumberLength)] string[]? SchoolNumber,
    [OneOf("true", "false", IgnoreCase = true, Trim = true, Message = "true or false.")] string? AtMepStandard,
    [MaxLength(4)] string? PupilsOfStartYear,
    [MaxLength(5)] string? CensusDay,
    [MaxLength(4)] string? FromStartYear,
    [MaxLength(4)] string? ToStartYear) : IValidatableRequest
{
    public const string DefaultCensusDay = "09-15";
    public const int MaxSchools = 1_000;

    public IReadOnlyList<Guid> SchoolIds => SchoolId?.Select(id => Guid.Parse(id.Trim())).Distinct().ToList() ?? [];
    public IReadOnlyList<string> SchoolNumbers => SchoolNumber?.Select(number => number.Trim()).Distinct().ToList() ?? [];
    public bool OnlyAtMepStandard => string.Equals(AtMepStandard?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
    public int? PupilsYear => Year(PupilsOfStartYear);
    public int? From => Year(FromStartYear);
    public int? To => Year(ToStartYear);

    public DateOnly CensusOf(int startYear)
    {
        var day = DateOnly.ParseExact($"2000-{(string.IsNullOrWhiteSpace(CensusDay) ? DefaultCensusDay : CensusDay.Trim())}", "yyyy-MM-dd",
            CultureInfo.InvariantCulture);
        return new DateOnly(startYear, day.Month, day.Day == 29 && day.Month == 2 && !DateTime.IsLeapYear(startYear) ? 28 : day.Day);
    }

    public void Validate(ValidationErrors errors)
    {
        if (SchoolId is { Length: > 0 and <= MaxSchools } ids && ids.Any(id => !Guid.TryParse(id?.Trim(), out _)))
        {
            errors.Add("schoolId", "School ids (uuid).");
        }

        if (SchoolNumber is { Length: > 0 and <= MaxSchools } numbers
            && numbers.Any(number => number is null || !Regex.IsMatch(number.Trim(), SchoolFields.FiveDigits)))
        {
            errors.Add("schoolNumber", "School numbers (five digits).");
        }

        if (SchoolId is not { Length: > 0 } && SchoolNumber is not { Length: > 0 } && !OnlyAtMepStandard)
        {
            errors.Add("schoolId", "Name the schools (schoolId or schoolNumber), or give atMepStandard=true.");
        }

        YearField(errors, "pupilsOfStartYear", PupilsOfStartYear);
        YearField(errors, "fromStartYear", FromStartYear);
        YearField(errors, "toStartYear", ToStartYear);
        if (From is { } from && To is { } to && (to < from || to - from > 50))
        {
            errors.Add("toStartYear", "From fromStartYear to at most 50 years later.");
        }

        if (CensusDay is not null && !DateOnly.TryParseExact($"2000-{CensusDay.Trim()}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add("censusDay", "A day of the year as MM-dd, e.g. 09-15.");
        }
    }

    private static void YearField(ValidationErrors errors, string field, string? value)
    {
        if (value is not null && Year(value) is null)
        {
            errors.Add(field, "A year from 2000 to 2100.");
        }
    }

    private static int? Year(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 2000 and <= 2100 ? year : null;
}

/// <summary>A share as the paper prints it (whole percent, rounded half up) beside the exact ratio it comes from.</summary>
/// <param name="Ratio">Of / Base, to six decimal places; null when the base is 0.</param>
public sealed record UptakeShare(int Of, int Base, decimal? Ratio, int? Percent)
{
    public static UptakeShare Compute(int of, int @base) => @base == 0
        ? new(of, @base, null, null)
        : new(of, @base, Math.Round((decimal)of / @base, 6, MidpointRounding.AwayFromZero),
            (int)Math.Round(100m * of / @base, 0, MidpointRounding.AwayFromZero));
}

/// <param name="TabletsShare">Tablets of the pupils (2,441 / 5,080 = 48 %).</param>
/// <param name="ButAsylbLGShare">BuT/AsylbLG tablets of the tablets, not of the pupils (243 / 2,441 = 10 %), as the paper computes.</param>
/// <param name="SiblingsShare">Sibling tablets of the tablets (169 / 2,441 = 7 %).</param>
public sealed record UptakeRow([MaxLength(SchoolFields.SchoolYearLength)] string SchoolYear, int StartYear, DateOnly CensusDate, int Tablets, int ButAsylbLG, int Siblings, int Pupils,
    int PupilsOfStartYear, UptakeShare TabletsShare, UptakeShare ButAsylbLGShare, UptakeShare SiblingsShare);

/// <param name="SchoolsWithoutPupils">Selected schools without figures for a row's pupils year: their pupils are missing from it.</param>
public sealed record UptakeTable(IReadOnlyList<Guid> Schools, int? PupilsOfStartYear, [MaxLength(5)] string CensusDay, IReadOnlyList<UptakeRow> Rows,
    IReadOnlyList<Guid> SchoolsWithoutPupils);
