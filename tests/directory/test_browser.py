"""What a newcomer does in a real browser: find the iPSC ventures, read them in Korean and
Japanese, open a profile; and what a keyboard or phone user meets on the way."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def result_names(page) -> list[str]:
    return page.locator(".org-card__name > a").all_inner_texts()


def test_filter_to_ipsc_ventures_then_read_them_in_korean_and_japanese(browser_page, directory):
    page = browser_page
    page.goto("/organizations/")
    expect(page.locator("#results-count")).to_have_text("6 organizations")

    page.get_by_label("Kind").select_option(label="Bio venture")
    page.get_by_label("iPSC-derived cell therapy").check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page.locator("#results-count")).to_have_text("2 organizations")
    assert result_names(page) == ["iPS Bio", "YiPSCELL"]
    assert "kind=venture" in page.url and "focus=ipsc-cell-therapy" in page.url

    page.get_by_role("link", name="한국어").click()
    expect(page).to_have_url(
        re.compile(r"/ko/organizations/\?kind=venture&focus=ipsc-cell-therapy$")
    )
    expect(page.locator("h1")).to_have_text("기관 목록")
    expect(page.locator("#results-count")).to_have_text("기관 2곳")
    expect(page.get_by_label("iPSC 유래 세포치료제")).to_be_checked()
    expect(page.get_by_label("유형")).to_have_value("venture")
    expect(page.locator(".active-filters")).to_contain_text("바이오벤처")
    assert result_names(page) == ["iPS Bio", "YiPSCELL"]
    expect(page.locator(".org-card", has_text="YiPSCELL").locator(".native-name")).to_have_text(
        "입셀"
    )
    expect(page.locator(".org-card", has_text="YiPSCELL")).to_contain_text("대한민국")

    page.get_by_role("link", name="日本語").click()
    expect(page).to_have_url(
        re.compile(r"/ja/organizations/\?kind=venture&focus=ipsc-cell-therapy$")
    )
    expect(page.locator("h1")).to_have_text("企業・機関一覧")
    expect(page.locator("#results-count")).to_have_text("2件")
    expect(page.get_by_label("iPS細胞由来細胞治療")).to_be_checked()
    expect(page.locator(".org-card", has_text="iPS Bio")).to_contain_text("韓国")
    assert result_names(page) == ["iPS Bio", "YiPSCELL"]

    page.get_by_role("link", name="YiPSCELL").click()
    expect(page).to_have_url(re.compile(r"/ja/organizations/yipscell/$"))
    expect(page.locator("h1")).to_have_text(re.compile(r"YiPSCELL\s+입셀"))
    expect(page.locator("h1 .native-name")).to_have_attribute("lang", "ko")
    row = page.locator("table.pipeline tbody tr", has_text="MIUChon")
    expect(row).to_contain_text("iPS細胞由来細胞治療")
    expect(row).to_contain_text("第1相")
    expect(page.get_by_role("link", name="おすすめの提携先")).to_have_attribute(
        "href", "/ja/organizations/yipscell/matches/"
    )
    expect(
        page.get_by_text("ログインすると、この企業・機関の担当者が表示されます。")
    ).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("embargo")

    # Back to English from the profile: the same profile, in English.
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/organizations/yipscell/$"))
    expect(page.locator("table.pipeline tbody tr", has_text="MIUChon")).to_contain_text("Phase 1")


@pytest.mark.parametrize(
    "language, ipsc",
    [
        ("English", "iPSC-derived cell therapy"),
        ("한국어", "iPSC 유래 세포치료제"),
        ("日本語", "iPS細胞由来細胞治療"),
    ],
)
def test_every_ipsc_venture_in_two_clicks_from_the_home_page(
    browser_page, directory, language, ipsc
):
    page = browser_page
    page.goto("/")
    if language != "English":
        page.get_by_role("link", name=language).click()  # first click: the language
    page.locator(".link-list").get_by_role("link", name=ipsc, exact=True).click()
    assert result_names(page) == ["iPS Bio", "YiPSCELL"]
    expect(page.get_by_label(ipsc)).to_be_checked()


def test_keyboard_users_meet_the_skip_link_first_and_see_where_focus_is(desktop_page, directory):
    page = desktop_page
    page.goto("/organizations/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0, "the skip link shows itself when focused"
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))

    search = page.get_by_label("Search")
    search.focus()
    assert search.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"


@pytest.mark.parametrize("prefix", ["", "/ko", "/ja"])
def test_a_phone_never_scrolls_sideways(phone_page, directory, prefix):
    page = phone_page
    for path in [
        "/",
        "/organizations/?kind=venture&focus=ipsc-cell-therapy",
        "/organizations/?q=nothing+like+this",
        "/organizations/cefobio/",
        "/organizations/yipscell/",
    ]:
        page.goto(prefix + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{prefix + path} is {width} pixels wide"
    # On a phone the pipeline's column names label each value.
    expect(page.locator("td.pipeline__stage").first).to_be_visible()
