"""Settings: file, environment, command line, in that order of strength."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import SETTINGS, ConfigError, load_config


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"SACHSTAND_CONFIG": str(tmp_path / "config.toml"), "LANG": "C.UTF-8", **extra}


def test_defaults_without_a_config_file(tmp_path: Path) -> None:
    config = load_config(_env(tmp_path, SACHSTAND_USER="anna"))
    assert config.db.name == "sachstand.json" and config.db_is_default
    assert (config.lang, config.user, config.backups) == ("de", "anna", 3)


def test_locale_picks_the_language(tmp_path: Path) -> None:
    assert load_config(_env(tmp_path, LANG="en_GB.UTF-8")).lang == "en"
    assert load_config(_env(tmp_path, LANG="de_DE.UTF-8")).lang == "de"
    assert load_config(_env(tmp_path, LANG="fr_FR.UTF-8")).lang == "de"


def test_file_then_environment_then_command_line(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('db = "~/akten.json"\nlang = "en"\nuser = "Anna Schmitz"\nbackups = 5\n')
    config = load_config(_env(tmp_path))
    assert (config.db, config.lang, config.user, config.backups) == (
        Path("~/akten.json").expanduser(),
        "en",
        "Anna Schmitz",
        5,
    )
    assert not config.db_is_default
    config = load_config(_env(tmp_path, SACHSTAND_DB="/srv/a.json", SACHSTAND_LANG="de", SACHSTAND_BACKUPS="1"))
    assert (str(config.db), config.lang, config.backups) == ("/srv/a.json", "de", 1)
    config = load_config(_env(tmp_path, SACHSTAND_DB="/srv/a.json"), db="/tmp/b.json", lang="EN")
    assert (str(config.db), config.lang) == ("/tmp/b.json", "en")


@pytest.mark.parametrize(
    "content, message",
    [
        ("lang = ", "not valid TOML"),
        (
            'colour = "blau"',
            "unknown setting 'colour'; known: db, lang, user, backups, lock_timeout, keys, oparl_types",
        ),
        ("backups = -1", "backups: expected a whole number from 0 to 20, got -1"),
        ('lang = "fr"', "lang: unknown language 'fr'; allowed: de, en"),
        ("user = 7", "user: expected a name, got 7"),
        ("lock_timeout = 0", "lock_timeout: expected seconds, more than 0"),
        ("sync_interval = 5", "sync_interval: expected seconds, at least 10, got 5"),
        ('sync_interval = "oft"', "sync_interval: expected seconds, at least 10"),
    ],
)
def test_a_bad_config_file_names_the_file_and_the_problem(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "config.toml").write_text(content)
    with pytest.raises(ConfigError) as bad:
        load_config(_env(tmp_path))
    assert message in str(bad.value)
    assert str(tmp_path / "config.toml") in str(bad.value)
    assert bad.value.render("de") != str(bad.value)


@pytest.mark.parametrize(
    "variable, value, message",
    [
        ("SACHSTAND_LANG", "klingonisch", "SACHSTAND_LANG: unknown language"),
        ("SACHSTAND_BACKUPS", "viele", "SACHSTAND_BACKUPS: expected a whole number"),
        ("SACHSTAND_LOCK_TIMEOUT", "-3", "SACHSTAND_LOCK_TIMEOUT: expected seconds"),
        ("SACHSTAND_SYNC_INTERVAL", "nan", "SACHSTAND_SYNC_INTERVAL: expected seconds, at least 10"),
    ],
)
def test_a_bad_environment_variable_is_named(tmp_path: Path, variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(_env(tmp_path, **{variable: value}))


def test_oparl_paper_types_and_keys_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        'oparl_types = ["Antrag", " Dringlichkeitsantrag "]\n[keys]\n"item.cycle" = "c, x"\n'
    )
    config = load_config(_env(tmp_path))
    assert config.oparl_types == ("Antrag", "Dringlichkeitsantrag")
    assert config.keys == {"item.cycle": "c,x"}
    (tmp_path / "config.toml").write_text("oparl_types = []\n")
    with pytest.raises(ConfigError, match="oparl_types: expected a list of paper types"):
        load_config(_env(tmp_path))


def test_the_auto_sync_interval_from_file_or_environment(tmp_path: Path) -> None:
    assert load_config(_env(tmp_path)).sync_interval is None  # off unless asked for
    (tmp_path / "config.toml").write_text("sync_interval = 300\n")
    assert load_config(_env(tmp_path)).sync_interval == 300.0
    assert load_config(_env(tmp_path, SACHSTAND_SYNC_INTERVAL="60")).sync_interval == 60.0


def test_each_setting_is_declared_once_with_its_default() -> None:
    from store.config import SETTINGS, Config

    defaults = Config._field_defaults
    for name in ("backups", "lock_timeout", "oparl_types", "sync_interval"):
        assert defaults[name] == SETTINGS[name].default
    assert dict(Config(db=Path("x"), lang="de", user="u").keys) == dict(SETTINGS["keys"].default) == {}
    variables = [setting.variable for setting in SETTINGS.values() if setting.variable]
    assert len(variables) == len(set(variables)) and all(v.startswith("SACHSTAND_") for v in variables)
    assert set(SETTINGS) <= set(Config._fields)


def test_without_file_or_environment_every_setting_has_its_declared_default(tmp_path: Path) -> None:
    from store.config import SETTINGS

    config = load_config(_env(tmp_path, SACHSTAND_USER="anna"))
    for name, setting in SETTINGS.items():
        if name not in ("db", "lang", "user"):
            assert getattr(config, name) == setting.default, name


def test_a_bad_number_or_token_from_the_environment(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SACHSTAND_LOCK_TIMEOUT: expected seconds, more than 0, got 'bald'"):
        load_config(_env(tmp_path, SACHSTAND_LOCK_TIMEOUT="bald"))
    # a token goes into an HTTP header: printable ASCII without spaces; the message never echoes it
    for token in ("geheim\x01", "tökén", "two words", "\udcff"):
        with pytest.raises(
            ConfigError,
            match=r"^SACHSTAND_TOKEN: expected a token: ASCII letters, digits and punctuation, no spaces\.$",
        ):
            load_config(_env(tmp_path, SACHSTAND_TOKEN=token))


@pytest.mark.parametrize("key", list(SETTINGS))
@pytest.mark.parametrize("value", ["1979-05-27T07:32:00", "[[1], {a = 1}]", "{}", "-inf"])
def test_a_value_of_the_wrong_type_is_named_for_every_setting(tmp_path: Path, key: str, value: str) -> None:
    """Every setting refuses a value of a type it does not take, with a message naming the file and the key."""
    if (key, value) in (("keys", "{}"), ("report", "{}"), ("departments", "{}")):
        return  # an empty table of keys, of departments, or an empty [report] (the defaults) is a right value
    (tmp_path / "config.toml").write_text(f"{key} = {value}\n")
    with pytest.raises(ConfigError) as refused:
        load_config(_env(tmp_path))
    assert str(refused.value).startswith(f"{tmp_path / 'config.toml'}: {key}: ")


PATHS = {"db", "ca"}  # a file's name may be any bytes; every other setting is text


@pytest.mark.parametrize("key", [key for key, setting in SETTINGS.items() if setting.variable])
def test_an_environment_variable_that_is_not_utf8(tmp_path: Path, key: str) -> None:
    """Bytes that are not UTF-8 (lone surrogates, as os.environ hands them over): refused, by the variable's
    name, by every setting but the paths, which take them as the file system does."""
    variable = SETTINGS[key].variable
    if key in PATHS:
        assert str(getattr(load_config(_env(tmp_path, **{variable: "akten-\udcff"})), key)).endswith("akten-\udcff")
        return
    with pytest.raises(ConfigError) as refused:
        load_config(_env(tmp_path, **{variable: "\udcff1"}))
    assert str(refused.value).startswith(f"{variable}: ")


def test_the_sync_token_is_never_in_the_configs_text(tmp_path: Path) -> None:
    config = load_config(_env(tmp_path, SACHSTAND_TOKEN="geheim-123", SACHSTAND_USER="anna"))
    assert config.token == "geheim-123"
    assert "geheim-123" not in repr(config) and "geheim-123" not in str(config) and "user='anna'" in repr(config)
