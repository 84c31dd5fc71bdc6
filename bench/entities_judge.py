import sys
W=lambda s: set(s.split())
people_wrong_common=W("文明 高水平 福祉 智慧 弘扬 宝贵 普惠 养老 公正 双循环 卫星 农惠农 二十大 丰硕成果 贡献率 蓝图 祝贺 田野 智能化 幸福感 安全感 友谊 北斗 农村居民 麦田 麦收 高素质 高端化 青少年 能源安全 育人 老同志 秋收 祝福 由南向北 玉米 毛泽东思想 植保 春耕 施策 拓宽 惠民 小康 封锁 奥密克戎 夏粮 夏收 夏播 古老 历久弥坚 冬小麦 从严治党 乐曲声 乌军 丘陵 鱼翔 高新区 高危 隆重庆祝 陈列 问天阁 银山 金龙 金紫荆 金山 邓小平理论 过江 蓬勃 蓝天白云 蓝天 绿水青山 纪检监察 立德 秦汉 科学城 祥和 祖国大陆 碧水 白名单 田园 特奥会 爱好和平 滑雪 滑冰 洪水 母亲河 林田湖 林火 权威 春灌 春小麦 施政 文明史 文博游 文博 强降雨 引江 广大青年 幸福美好 师生 展陈 寻古 宣传教育 宝贵时间 安全观 大礼堂 夏管 夏商 同德 台湾独立 台湾光复 古建筑 古代文明 双奥之城 博大精深 努力实现 冬奥 农耕 农家乐 冉冉升起 养老院 党风廉政 保驾护航 伊朗核 亚军 五星红旗")
people_wrong_place=W("黎巴嫩 顿涅茨克 乌克兰 马王堆 陶寺 阿曼 赫尔松 贝伦 花莲县 石家河 沙特 文昌 扎波罗热 成渝 张家口 崇礼 安吉 哈萨克斯坦 哈尔科夫 加勒比 利雅得 凌家滩 伊拉克 二里头 乌干达 白宫 胡塞")
people_wrong_fragment=W("阿拉 连斯基 格齐 马克 里亚布 蒂纳丹佩佐 蒂纳 莱恩 约翰斯 穆特 科尔 李家 斯科夫 拉戈 常泰 图里 哈罗 哈中 博拉 刘国 冯德 薛祥")
places_wrong=W("大国 治国 深度 两国 美丽 海洋 大省 城市 南南合作 中非 中欧 陆海 深海 法治化 新区 惠及 宜居 大湾 黑土地 麦区 科教兴国 爱国 涉疆 欧中 扎根 广大干部 山村 山乡 北约 兴边 兴旺 伊斯兰 上门 鹊桥 高山 驻港 马克思列宁主义 香港市民 馆藏 馆内 非盟 青春 阿中 郑建 越野 西罗 缅怀 粤港 符合中国 福萨 爱港 澳科 澳中 港人治港 涉港 海马 海关 治疆 治港 欧中应 普通高中 普及 日增 新建 捷龙 拉马 循环赛 德中 广度 巴加埃 山海 山水 太阳 天宫 大桥 大山 嘉宾 喜庆 合龙 各乡镇 台盟 台独 古建 保鲜 伦理 亚平 中斯 中拉 中德 中哈 中南 中华文明 上市 印加 卡塞亚 都城 古城")
orgs_wrong=W("新兴产业 广播电视 国家机关 全党全国 新格局 联合体 汇报会 国际经贸 中美关系 中华文化 科研院所 新进展 国际化 中巴关系 重大进展 自由贸易区 美术馆 美中关系 经济委员会 深加工 国际舞台 国际会议中心 国家有关 国与国 合法政府 卫生院 卫生室 卫星通信 北京航天 北京站 农业大学 交易会 中西药 中西关系 中法关系 中法 中德关系 中国化 中东部 从海合会 人民大会堂 北京人民大会堂 党政军 中央财政 全党全军 党组织 美国联邦 中国航天")
def judge(kind, e):
    if kind=="people":
        if e in people_wrong_common: return "wrong","common word tagged nr"
        if e in people_wrong_place: return "wrong","a place or organisation tagged nr"
        if e in people_wrong_fragment: return "wrong","piece of a name (transliteration or three-character name split)"
        return "correct",""
    if kind=="places":
        if e in places_wrong:
            return "wrong","not a place name (common word, abbreviation pair, organisation or fragment)"
        return "correct",""
    if e in orgs_wrong: return "wrong","not an organisation name (common word, relation, building or fragment)"
    return "correct",""
print("query\tkind\trank\tentity\tarticles\tjudgement\tnote")
for line in open(sys.argv[1]):
    q,k,r,e,n=line.rstrip("\n").split("\t")
    j,note=judge(k,e)
    print("\t".join([q,k,r,e,n,j,note]))
