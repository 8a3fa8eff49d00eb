"""How the app names staff: family name first, as Japanese wards write it (「看護 花子」), in
every language; the username when the account has no name."""


def staff_name(user) -> str:
    """「看護 花子」 for last_name 看護, first_name 花子; the username if both are empty."""
    if user is None:
        return ""
    name = " ".join(part for part in (user.last_name.strip(), user.first_name.strip()) if part)
    return name or user.get_username()
