#!/usr/bin/env python3
"""Generates N realistic worker rows for bench/import: valid GB 11643 ID numbers from
Hunan's real counties (data/regions.csv), Chinese names, unique mobile numbers, service
types, consent dates and health, insurance and work-permit certificates with varied
expiry. Usage: gen_workers.py N REGIONS_CSV > FILE.csv"""
import csv
import random
import sys

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "秀英桂兰玉梅淑珍春花凤兰丽华红梅小燕美玲建华海燕翠萍金凤雪梅晓红艳芳丽娟彩霞慧敏素芬志强建国国庆卫东德明"
TYPES = ["cleaning", "nanny", "maternity", "infant_care", "elder_care", "hourly", "保洁", "月嫂", "养老护理", "家庭厨师"]


def id_number(first17):
    s = sum(int(c) * w for c, w in zip(first17, W))
    return first17 + "10X98765432"[s % 11]


def main():
    n = int(sys.argv[1])
    counties = []
    with open(sys.argv[2], encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["code"].startswith("43") and row["level"] == "county":
                counties.append(row["code"])
    rnd = random.Random(20250101)
    out = sys.stdout
    out.write("name,id_number,phone,service_types,consent_date,"
              "health_no,health_issuer,health_issued,health_expires,"
              "insurance_no,insurance_issuer,insurance_issued,insurance_expires,"
              "work_permit_no,work_permit_issuer,work_permit_issued,work_permit_expires\n")
    for i in range(n):
        # A unique (county, birth date, sequence) per row: i picks the sequence and day.
        county = counties[i % len(counties)]
        k = i // len(counties)
        year = 1965 + k % 36
        month = 1 + (k // 36) % 12
        day = 1 + (k // 432) % 28
        seq = (k // 12096) % 1000
        idn = id_number(f"{county}{year:04d}{month:02d}{day:02d}{seq:03d}")
        name = rnd.choice(SURNAMES) + GIVEN[2 * rnd.randrange(len(GIVEN) // 2):][:rnd.choice((1, 2))]
        if len(name) < 2:
            name += "妹"
        phone = f"1{rnd.choice('3578')}{i:09d}"
        types = "|".join(rnd.sample(TYPES[:6], rnd.randint(1, 2)))
        consent = f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}" if i % 3 else ""
        iss = f"2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        exp = f"{rnd.choice((2025, 2026, 2027))}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        wp = f"WP{i:08d},湖南省家政服务业协会,{iss}," if i % 2 else ",,,"
        out.write(f"{name},{idn},{phone},{types},{consent},"
                  f"JK{i:08d},{county}疾控中心,{iss},{exp},"
                  f"BX{i:08d},中国人寿,{iss},{exp},{wp}\n")


if __name__ == "__main__":
    main()
